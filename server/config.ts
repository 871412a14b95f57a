/** One validated configuration, read once at start-up. Secrets are never printed. */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const ConfigSchema = z.object({
  /** External Temporal frontend (host:port). Unset → the embedded dev server is started. */
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('juece'),
  /** External MongoDB. Unset → the embedded FerretDB is started (on PostgreSQL, see JUECE_FERRETDB_BACKEND). */
  MONGODB_URI: optionalString,
  MONGODB_DB: z.string().default('juece'),
  JUECE_PORT: port(3000),
  JUECE_HOST: z.string().default('127.0.0.1'),
  /** Embedded Temporal dev server gRPC port; its Web UI listens on this + 1000. */
  JUECE_TEMPORAL_PORT: port(7233),
  JUECE_FERRETDB_PORT: port(27017),
  /**
   * What the embedded FerretDB stores into. Unset → PostgreSQL (found, or installed with apt as
   * root), falling back to SQLite with a printed note when PostgreSQL cannot be had or this data
   * directory already holds a SQLite store; set → exactly that, or a start-up error.
   */
  JUECE_FERRETDB_BACKEND: z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), z.enum(['postgresql', 'sqlite']).optional()),
  /** The embedded PostgreSQL's port (loopback only). */
  JUECE_POSTGRESQL_PORT: port(54320),
  /** PostgreSQL's bin directory (postgres, initdb, psql, pg_isready); unset → Debian's, found under /usr/lib/postgresql. */
  JUECE_POSTGRESQL_BIN_DIR: optionalString,
  JUECE_DATA_DIR: z.string().default(path.resolve(__dirname, '..', 'data')),
  JUECE_CACHE_DIR: z.string().default(path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'juece')),
  JUECE_TEMPORAL_BIN: optionalString,
  JUECE_FERRETDB_BIN: optionalString,
  /** Seed demo decisions on the embedded default (never when MONGODB_URI points at production). */
  JUECE_DEMO_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Session cookie Secure flag: auto = set when the request arrived over TLS. */
  JUECE_COOKIE_SECURE: z.enum(['auto', 'on', 'off']).default('auto'),
  /**
   * Behind a reverse proxy: express's "trust proxy" (e.g. 1, loopback, 10.0.0.0/8), so login
   * throttling counts the client's address from X-Forwarded-For rather than the proxy's.
   */
  JUECE_TRUST_PROXY: optionalString,
  /** SMTP transport for e-mail notifications, e.g. smtp://user:pass@mail.example.gov.cn:587. Unset → in-app only. */
  JUECE_SMTP_URL: optionalString,
  JUECE_MAIL_FROM: z.string().default('Juece 决策 <noreply@juece.local>'),
  /** The address users reach the app at, for links in e-mails. */
  JUECE_PUBLIC_URL: optionalString,
  /** Remind reviewers when a legality review is due within this many working days. */
  JUECE_DUE_SOON_DAYS: z.coerce.number().int().min(1).max(30).default(3),
  /** Decree 713 Art. 30 sets no quorum: a meeting decides when more than this share of its members attend. */
  JUECE_MEETING_QUORUM: z.coerce.number().min(0).max(0.99).default(0.5),
  /** How often each API instance asks the store whether open pages have news (server/live.ts). */
  JUECE_LIVE_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /**
   * Ningxia practice as a deployment policy: a decision carrying out an annual catalogue item
   * performs public participation, expert review and risk assessment unless the decision body
   * records an exemption (workflows/findings.ts). Off: the national rules.
   */
  JUECE_CATALOGUE_FULL_PROCEDURE: z.enum(['true', 'false', '1', '0', 'on', 'off']).default('false').transform((v) => ['true', '1', 'on'].includes(v)),
  /** Decree 713 Art. 33 names no period: local rules hand a decision's file to the archive within this many days of the decision. */
  JUECE_ARCHIVE_HANDOVER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** The public portal: opinions admitted per client address, as count/seconds (default 10 per 10 minutes). */
  JUECE_PORTAL_RATE: z.string().regex(/^\d{1,6}\/\d{1,6}$/, 'count/seconds, e.g. 10/600').default('10/600'),
  /** The public portal: a form submitted sooner than this after it was shown is refused (a robot's speed). */
  JUECE_PORTAL_MIN_FILL_SECONDS: z.coerce.number().min(0).max(600).default(3),
  JUECE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Parse the environment; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env) loadDotEnv();
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable and its default.`);
  }
  return parsed.data;
}

/** A start-up problem the user can fix; printed as a paragraph without a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Read ./.env if present (Node's own loader; variables already set win). */
function loadDotEnv() {
  const file = path.resolve(__dirname, '..', '.env');
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}`);
  }
}

/**
 * The PostgreSQL the embedded FerretDB stores into: Debian's server binaries, a cluster of
 * Juece's own under the data directory, run as an unprivileged user (PostgreSQL refuses root)
 * on a loopback port with password authentication, and stopped with a fast shutdown.
 * server/ferretdb-gin.sql is applied at every start.
 */
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from './config';
import { assertPortFree, isExecutable, spawnLogged, waitUntil, type ManagedServer } from './services';

const run = promisify(execFile);

/** The database (and role) FerretDB uses inside the cluster. */
export const POSTGRES_DATABASE = 'juece';
const ROLE = 'juece';
const GIN_SQL = path.join(__dirname, 'ferretdb-gin.sql');
const TOOLS = ['postgres', 'initdb', 'pg_isready', 'psql'];
/** When the data directory is not reachable by the server's user (e.g. a clone under /root). */
const FALLBACK_ROOT = '/var/lib/juece';

export interface PostgresInstall {
  binDir: string;
  /** e.g. "15.18" */
  version: string;
}

const hasTools = (dir: string) => TOOLS.every((t) => isExecutable(path.join(dir, t)));

function serverVersion(binDir: string): string {
  const r = spawnSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  return /\(PostgreSQL\)\s+(\S+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}

/**
 * The server binaries: `explicit` (JUECE_POSTGRESQL_BIN_DIR), else the newest Debian
 * /usr/lib/postgresql/<major>/bin, else `pg_config --bindir`; null when none is installed.
 */
export function findPostgres(explicit?: string): PostgresInstall | null {
  if (explicit) {
    if (!hasTools(explicit)) throw new ConfigError(`JUECE_POSTGRESQL_BIN_DIR=${explicit} does not hold PostgreSQL's ${TOOLS.join(', ')}.`);
    return { binDir: explicit, version: serverVersion(explicit) };
  }
  const candidates: string[] = [];
  try {
    const majors = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+(\.\d+)?$/.test(v));
    majors.sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((v) => path.join('/usr/lib/postgresql', v, 'bin')));
  } catch {
    /* not Debian's layout */
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  const binDir = candidates.find(hasTools);
  return binDir ? { binDir, version: serverVersion(binDir) } : null;
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

function lookupUser(name: string): RunAs | null {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Who runs the server. PostgreSQL refuses to run as root: as root, Debian's `postgres` account
 * (made by its package), else a `juece` system user made for it; otherwise ourselves.
 */
function serverUser(log: (line: string) => void): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookupUser('postgres') ?? lookupUser('juece');
  if (existing) return existing;
  const r = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'juece'], { encoding: 'utf8' });
  const made = r.status === 0 ? lookupUser('juece') : null;
  if (!made)
    throw new ConfigError(
      `PostgreSQL refuses to run as root, and there is no "postgres" user to run it as; creating a "juece" system user failed (useradd exited ${r.status}: ${(r.stderr ?? '').trim()}). ` +
        'Create an unprivileged user yourself, or run Juece as an ordinary user, or set JUECE_FERRETDB_BACKEND=sqlite.',
    );
  log('Created the system user "juece" to run PostgreSQL (it refuses to run as root).');
  return made;
}

/** Whether `user` may reach `dir` (every parent directory searchable). */
function reachable(dir: string, user: RunAs): boolean {
  return spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * Where the cluster's files live: `<data>/postgresql/pgdata`, owned by the server's user. When
 * that user cannot reach the data directory (a parent is private, e.g. /root), under
 * /var/lib/juece instead, one directory per data directory — private parents are never opened up.
 */
function clusterDir(root: string, user: RunAs | null, log: (line: string) => void): string {
  const inData = path.join(root, 'pgdata');
  if (!user || reachable(root, user)) return inData;
  const elsewhere = path.join(FALLBACK_ROOT, `pgdata-${crypto.createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 12)}`);
  fs.mkdirSync(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
  log(`  PostgreSQL's user "${user.name}" cannot reach ${root} (a parent directory is private), so its files are in ${elsewhere}.`);
  return elsewhere;
}

/**
 * The role's password: made with the cluster, kept in `<data>/postgresql/password`, readable by
 * its owner only. A cluster without it cannot be entered: one under /var/lib/juece whose data
 * directory was deleted is an orphan and is removed; one inside the data directory is an error.
 */
function clusterPassword(root: string, pgdata: string, log: (line: string) => void): string {
  const file = path.join(root, 'password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  if (fs.existsSync(pgdata)) {
    if (!pgdata.startsWith(FALLBACK_ROOT))
      throw new ConfigError(`The PostgreSQL cluster in ${pgdata} has lost its password file (${file}). Restore it, or delete ${root} to start a new, empty store.`);
    log(`  ${pgdata} was the cluster of an earlier ${root}, which was deleted; it is removed and a new one made.`);
    fs.rmSync(pgdata, { recursive: true, force: true });
  }
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function initCluster(install: PostgresInstall, pgdata: string, password: string, user: RunAs | null, durable: boolean, log: (line: string) => void) {
  log(`  creating a PostgreSQL ${install.version} cluster in ${pgdata}${user ? ` (run as "${user.name}")` : ''}`);
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  const pwfile = path.join(path.dirname(pgdata), `.initdb-${crypto.randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) {
      fs.chownSync(pgdata, user.uid, user.gid);
      fs.chownSync(pwfile, user.uid, user.gid);
    }
    const args = ['-D', pgdata, '-U', ROLE, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])];
    const r = spawnSync(path.join(install.binDir, 'initdb'), args, { encoding: 'utf8', uid: user?.uid, gid: user?.gid });
    if (r.status !== 0) throw new ConfigError(`initdb failed (exit ${r.status}) creating the PostgreSQL cluster in ${pgdata}:\n${`${r.stdout}${r.stderr}`.trim().split('\n').slice(-8).join('\n')}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

export interface PostgresOptions {
  install: PostgresInstall;
  port: number;
  /** The cluster goes into `<dataDir>/postgresql`. */
  dataDir: string;
  logFile: string;
  /** false for throwaway clusters (tests, bench): no fsync, faster. */
  durable?: boolean;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningPostgres extends ManagedServer {
  /** FerretDB's connection URL; it carries the password, so never print it. */
  url: string;
  version: string;
  /** For /healthz: resolves with a short description, rejects when the server does not answer. */
  check(): Promise<string>;
}

/** Start the cluster (creating it the first time), its database and the GIN twins; wait until it answers. */
export async function startPostgres(o: PostgresOptions): Promise<RunningPostgres> {
  const log = o.log ?? ((l: string) => console.log(l));
  const durable = o.durable ?? true;
  const bin = (tool: string) => path.join(o.install.binDir, tool);
  await assertPortFree(o.port, 'PostgreSQL', 'JUECE_POSTGRESQL_PORT');
  const user = serverUser(log);
  const root = path.join(o.dataDir, 'postgresql');
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  const pgdata = clusterDir(root, user, log);
  const password = clusterPassword(root, pgdata, log);
  const versionFile = path.join(pgdata, 'PG_VERSION');
  if (!fs.existsSync(versionFile)) initCluster(o.install, pgdata, password, user, durable, log);
  const made = fs.readFileSync(versionFile, 'utf8').trim();
  if (made !== o.install.version.split('.')[0])
    throw new ConfigError(
      `The PostgreSQL cluster in ${pgdata} was made by PostgreSQL ${made}, but the server found is ${o.install.version} (${o.install.binDir}). ` +
        `Point JUECE_POSTGRESQL_BIN_DIR at PostgreSQL ${made}'s bin directory, or upgrade the cluster with pg_upgrade.`,
    );

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    // No Unix socket: its default directory belongs to the system's own cluster.
    unix_socket_directories: '',
    // FerretDB passes the field name as a query parameter; a custom plan sees it and uses the GIN index.
    plan_cache_mode: 'force_custom_plan',
    ...(durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
  };
  const args = ['-D', pgdata, '-p', String(o.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one (recovered at the next start).
  const server = spawnLogged('postgresql', bin('postgres'), args, o.logFile, { uid: user?.uid, gid: user?.gid, stopSignal: 'SIGINT', forceSignal: 'SIGQUIT' });
  const ready = () => run(bin('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(o.port), '-d', 'postgres', '-U', ROLE], { timeout: 3000 }).then(() => true);
  await waitUntil(server, ready, o.startTimeoutMs ?? 60_000, 'PostgreSQL');

  const psql = (db: string, ...args: string[]) =>
    run(bin('psql'), ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(o.port), '-U', ROLE, '-d', db, ...args], {
      env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' },
    });
  try {
    const exists = await psql('postgres', '-c', `SELECT 1 FROM pg_database WHERE datname = '${POSTGRES_DATABASE}'`);
    if (exists.stdout.trim() !== '1') await psql('postgres', '-c', `CREATE DATABASE ${POSTGRES_DATABASE}`);
    await psql(POSTGRES_DATABASE, '-f', GIN_SQL);
  } catch (err) {
    await server.stop();
    throw new ConfigError(`PostgreSQL started, but preparing its database failed: ${String((err as { stderr?: string }).stderr || (err as Error).message).trim()}`);
  }
  return {
    ...server,
    url: `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${o.port}/${POSTGRES_DATABASE}`,
    version: o.install.version,
    restart: () => startPostgres(o),
    check: async () => {
      await ready();
      return `PostgreSQL ${o.install.version} on 127.0.0.1:${o.port}`;
    },
  };
}

/**
 * The embedded document store: FerretDB on a PostgreSQL cluster of its own (the default), or
 * FerretDB on SQLite — when JUECE_FERRETDB_BACKEND=sqlite says so, when PostgreSQL cannot be had,
 * or when this data directory already holds a SQLite store. `npm start`, the CLI, the test suite
 * and the bench all start it here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config';
import { startPostgres } from './postgres';
import type { PostgresProvision, Provisioned } from './provision';
import { freePort, startFerretdb, type ManagedServer } from './services';

export type FerretdbBackend = 'postgresql' | 'sqlite';

export interface EmbeddedStoreOptions {
  ferretdbBin: string;
  /** From provisioning: PostgreSQL's binaries, or why there are none (absent: not provisioned). */
  postgres?: PostgresProvision;
  /** JUECE_FERRETDB_BACKEND; unset → PostgreSQL when it can be had. */
  backend?: FerretdbBackend;
  ferretdbPort: number;
  postgresPort: number;
  /** The PostgreSQL cluster goes into `<dataDir>/postgresql`, SQLite files into `<dataDir>/ferretdb`. */
  dataDir: string;
  logDir: string;
  /** false for throwaway stores (tests, bench): PostgreSQL without fsync. */
  durable?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedStore {
  uri: string;
  backend: FerretdbBackend;
  /** e.g. "FerretDB on PostgreSQL 15.18" — for the start-up banner and /healthz. */
  label: string;
  /** In start order; stop them in reverse. */
  servers: ManagedServer[];
  /** The PostgreSQL check for /healthz (absent on SQLite). */
  checkPostgres?: () => Promise<string>;
}

const sqliteDir = (dataDir: string) => path.join(dataDir, 'ferretdb');

/** True when `dir` holds FerretDB SQLite databases. */
function holdsSqliteStore(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((f) => f.endsWith('.sqlite'));
  } catch {
    return false;
  }
}

/** Which backend runs, and the note to print when it is not the one asked for or expected. */
export function chooseBackend(o: Pick<EmbeddedStoreOptions, 'backend' | 'postgres' | 'dataDir'>): { backend: FerretdbBackend; note?: string } {
  if (o.backend === 'sqlite') return { backend: 'sqlite' };
  const unavailable = !o.postgres ? 'was not provisioned' : 'unavailable' in o.postgres ? o.postgres.unavailable : null;
  if (o.backend === 'postgresql') {
    if (unavailable) throw new ConfigError(`JUECE_FERRETDB_BACKEND=postgresql, but PostgreSQL ${unavailable}. Install Debian's postgresql package, point JUECE_POSTGRESQL_BIN_DIR at PostgreSQL's bin directory, or set JUECE_FERRETDB_BACKEND=sqlite.`);
    return { backend: 'postgresql' };
  }
  if (unavailable)
    return {
      backend: 'sqlite',
      note:
        `Note: FerretDB runs on SQLite because PostgreSQL ${unavailable}. On SQLite most queries read whole collections, ` +
        'so lists, audit trails and the bell slow down as the store grows. Install PostgreSQL (sudo apt-get install postgresql) ' +
        'and start again for FerretDB on PostgreSQL — that starts a new, empty store; see the README.',
    };
  if (holdsSqliteStore(sqliteDir(o.dataDir)) && !fs.existsSync(path.join(o.dataDir, 'postgresql')))
    return {
      backend: 'sqlite',
      note:
        `Note: FerretDB stays on SQLite because ${sqliteDir(o.dataDir)} holds this install's store. ` +
        'JUECE_FERRETDB_BACKEND=postgresql starts FerretDB on PostgreSQL with a new, empty store (the SQLite one is kept); see the README.',
    };
  return { backend: 'postgresql' };
}

/** Start PostgreSQL (when it is the backend) and FerretDB on it; wait until both answer. */
export async function startEmbeddedStore(o: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const log = o.log ?? ((l: string) => console.log(l));
  const { backend, note } = chooseBackend(o);
  if (note) log(note);
  const ferretLog = path.join(o.logDir, 'ferretdb.log');
  if (backend === 'sqlite') {
    const f = await startFerretdb({ bin: o.ferretdbBin, port: o.ferretdbPort, storage: { sqliteDir: sqliteDir(o.dataDir) }, logFile: ferretLog });
    return { uri: f.uri, backend, label: 'FerretDB on SQLite', servers: [f] };
  }
  const install = o.postgres as Exclude<PostgresProvision, { unavailable: string }>;
  const pg = await startPostgres({ install, port: o.postgresPort, dataDir: o.dataDir, logFile: path.join(o.logDir, 'postgresql.log'), durable: o.durable, log });
  try {
    const f = await startFerretdb({ bin: o.ferretdbBin, port: o.ferretdbPort, storage: { postgresqlUrl: pg.url }, logFile: ferretLog });
    return { uri: f.uri, backend, label: `FerretDB on PostgreSQL ${pg.version}`, servers: [pg, f], checkPostgres: pg.check };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}

type StoreConfig = Pick<Config, 'JUECE_FERRETDB_BACKEND' | 'JUECE_FERRETDB_PORT' | 'JUECE_POSTGRESQL_PORT' | 'JUECE_DATA_DIR'>;

/** The configured embedded store (`npm start`, the CLI): its ports, its data directory. */
export function startConfiguredStore(config: StoreConfig, bins: Provisioned, o: { logDir: string; log?: (line: string) => void }): Promise<EmbeddedStore> {
  return startEmbeddedStore({
    ferretdbBin: bins.ferretdb!,
    postgres: bins.postgres,
    backend: config.JUECE_FERRETDB_BACKEND,
    ferretdbPort: config.JUECE_FERRETDB_PORT,
    postgresPort: config.JUECE_POSTGRESQL_PORT,
    dataDir: config.JUECE_DATA_DIR,
    ...o,
  });
}

/** A throwaway store in `dir` on free ports, without fsync (the test suite, the bench). */
export async function startThrowawayStore(config: Pick<Config, 'JUECE_FERRETDB_BACKEND'>, bins: Provisioned, dir: string, log?: (line: string) => void): Promise<EmbeddedStore> {
  // Searchable (not readable) by others: PostgreSQL's unprivileged user reaches its cluster inside.
  fs.chmodSync(dir, 0o711);
  return startEmbeddedStore({
    ferretdbBin: bins.ferretdb!,
    postgres: bins.postgres,
    backend: config.JUECE_FERRETDB_BACKEND,
    ferretdbPort: await freePort(),
    postgresPort: await freePort(),
    dataDir: dir,
    logDir: dir,
    durable: false,
    log,
  });
}

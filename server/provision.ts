/**
 * Provisioning of the embedded servers: the Temporal CLI (dev server) and FerretDB, built once
 * from the Go module proxy into the user's cache directory (keyed by version) so every clone on
 * the machine — CI's included — reuses them; and Debian's PostgreSQL, installed with apt.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config';
import { findPostgres, type PostgresInstall } from './postgres';
import { isExecutable } from './services';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const FERRETDB_VERSION = '1.24.2';
const REPO_ROOT = path.resolve(__dirname, '..');
const FERRETDB_WRAPPER = path.join(REPO_ROOT, 'tools', 'ferretdb');

export interface ProvisionOptions {
  cacheDir: string;
  /** Explicit binaries (JUECE_TEMPORAL_BIN / JUECE_FERRETDB_BIN). */
  temporalBin?: string;
  ferretdbBin?: string;
  needTemporal: boolean;
  needFerretdb: boolean;
  /** PostgreSQL for FerretDB's postgresql backend (JUECE_POSTGRESQL_BIN_DIR, else found or installed). */
  needPostgres?: boolean;
  postgresBinDir?: string;
  log?: (line: string) => void;
}

/** PostgreSQL's server binaries, or why they cannot be had here. */
export type PostgresProvision = PostgresInstall | { unavailable: string };

export interface Provisioned {
  temporal?: string;
  ferretdb?: string;
  postgres?: PostgresProvision;
}

/** The cache path of the Temporal CLI binary. */
export function temporalCachePath(cacheDir: string): string {
  return path.join(cacheDir, 'bin', `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/** The cache path of the FerretDB wrapper; keyed by version and the wrapper's own source. */
export function ferretdbCachePath(cacheDir: string): string {
  const h = crypto.createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) h.update(fs.readFileSync(path.join(FERRETDB_WRAPPER, f)));
  return path.join(cacheDir, 'bin', `ferretdb-${FERRETDB_VERSION}-${h.digest('hex').slice(0, 10)}`, 'ferretdb');
}

function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Runs a Go build with a heartbeat so a first-time build never looks hung. */
async function runGo(args: string[], cwd: string, env: NodeJS.ProcessEnv, what: string, log: (l: string) => void): Promise<void> {
  const started = Date.now();
  const child = spawn('go', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const beat = setInterval(() => log(`  … still building ${what} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  clearInterval(beat);
  if (code !== 0) {
    throw new ConfigError(
      `Building ${what} failed (go ${args.join(' ')} exited ${code}). The last lines of its output:\n` +
        output.split('\n').slice(-15).join('\n') +
        `\nCheck that the Go module proxy is reachable (GOPROXY=${process.env.GOPROXY ?? 'default'}), or give a ready binary with the environment variable named in the README.`,
    );
  }
  log(`  built ${what} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Build into a temporary folder beside the target, then rename: a killed build leaves no half binary. */
async function buildInto(target: string, what: string, build: (outDir: string) => Promise<void>) {
  const dir = path.dirname(target);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(`${dir}.tmp-`);
  try {
    await build(tmp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!isExecutable(target)) throw new ConfigError(`Building ${what} produced no binary at ${target}.`);
}

function missingToolchain(what: string, envVar: string, alt: string): ConfigError {
  return new ConfigError(
    `${what} is needed for the embedded default but is not provisioned, and no Go toolchain is on PATH to build it. ` +
      `Either install Go (1.22 or newer; Debian: apt-get install golang, or the official tarball) and run "npm run provision", ` +
      `or set ${envVar} to the path of a ready binary, or set ${alt} to use an external server instead.`,
  );
}

/** Ensure the binaries the embedded default needs exist; build what is missing. */
export async function provision(opts: ProvisionOptions): Promise<Provisioned> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const result: Provisioned = {};

  if (opts.needTemporal) {
    if (opts.temporalBin) {
      if (!isExecutable(opts.temporalBin)) throw new ConfigError(`JUECE_TEMPORAL_BIN=${opts.temporalBin} is not an executable file.`);
      result.temporal = opts.temporalBin;
    } else {
      const target = temporalCachePath(opts.cacheDir);
      if (!isExecutable(target)) {
        if (!goAvailable()) throw missingToolchain('The Temporal CLI', 'JUECE_TEMPORAL_BIN', 'TEMPORAL_ADDRESS');
        log(`Provisioning: building the Temporal CLI v${TEMPORAL_CLI_VERSION} from the Go module proxy into ${path.dirname(target)}.`);
        log('  This happens once per machine and takes about 5–10 minutes on 2 cores.');
        await buildInto(
          target,
          `Temporal CLI v${TEMPORAL_CLI_VERSION}`,
          (out) =>
            runGo(['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], REPO_ROOT, { ...process.env, GOBIN: out, GOFLAGS: '' }, 'the Temporal CLI', log),
        );
      }
      result.temporal = target;
    }
  }

  if (opts.needFerretdb) {
    if (opts.ferretdbBin) {
      if (!isExecutable(opts.ferretdbBin)) throw new ConfigError(`JUECE_FERRETDB_BIN=${opts.ferretdbBin} is not an executable file.`);
      result.ferretdb = opts.ferretdbBin;
    } else {
      const target = ferretdbCachePath(opts.cacheDir);
      if (!isExecutable(target)) {
        if (!goAvailable()) throw missingToolchain('FerretDB', 'JUECE_FERRETDB_BIN', 'MONGODB_URI');
        log(`Provisioning: building FerretDB v${FERRETDB_VERSION} from the Go module proxy into ${path.dirname(target)}.`);
        log('  This happens once per machine and takes about 3–5 minutes on 2 cores.');
        await buildInto(
          target,
          `FerretDB v${FERRETDB_VERSION}`,
          (out) => runGo(['build', '-o', path.join(out, 'ferretdb'), '.'], FERRETDB_WRAPPER, { ...process.env, GOFLAGS: '-mod=mod' }, 'FerretDB', log),
        );
      }
      result.ferretdb = target;
    }
  }

  if (opts.needPostgres) result.postgres = provisionPostgres(opts.postgresBinDir, log);

  linkIntoClone({ temporal: result.temporal, ferretdb: result.ferretdb });
  return result;
}

/** Debian's PostgreSQL server: found, or installed with apt when we are root; else why not. */
export function provisionPostgres(binDir: string | undefined, log: (l: string) => void): PostgresProvision {
  const found = findPostgres(binDir);
  if (found) return found;
  const why = aptUnavailable();
  if (why) return { unavailable: `is not installed, and ${why} (sudo apt-get install postgresql)` };
  try {
    aptInstall(['postgresql'], 'as the store under FerretDB', '1–2 minutes', log, '--no-install-recommends');
  } catch (err) {
    return { unavailable: `is not installed, and installing it failed: ${(err as Error).message}` };
  }
  return findPostgres() ?? { unavailable: 'was installed with apt-get, but its server binaries are not where Debian puts them (set JUECE_POSTGRESQL_BIN_DIR)' };
}

/** Provision what this configuration needs: nothing for servers given by address. */
export function provisionFor(
  config: Pick<Config, 'JUECE_CACHE_DIR' | 'JUECE_TEMPORAL_BIN' | 'JUECE_FERRETDB_BIN' | 'TEMPORAL_ADDRESS' | 'MONGODB_URI' | 'JUECE_FERRETDB_BACKEND' | 'JUECE_POSTGRESQL_BIN_DIR'>,
  log?: (line: string) => void,
): Promise<Provisioned> {
  return provision({
    cacheDir: config.JUECE_CACHE_DIR,
    temporalBin: config.JUECE_TEMPORAL_BIN,
    ferretdbBin: config.JUECE_FERRETDB_BIN,
    needTemporal: !config.TEMPORAL_ADDRESS,
    needFerretdb: !config.MONGODB_URI,
    needPostgres: !config.MONGODB_URI && config.JUECE_FERRETDB_BACKEND !== 'sqlite',
    postgresBinDir: config.JUECE_POSTGRESQL_BIN_DIR,
    log,
  });
}

/** Convenience links in the git-ignored .juece/bin of this clone. */
function linkIntoClone(p: Record<string, string | undefined>) {
  const binDir = path.join(REPO_ROOT, '.juece', 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  for (const [name, target] of Object.entries(p)) {
    if (!target) continue;
    const link = path.join(binDir, name);
    try {
      fs.rmSync(link, { force: true });
      fs.symlinkSync(target, link);
    } catch {
      /* a link is only a convenience */
    }
  }
}

export const CHROMIUM_PATH = process.env.JUECE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The browser tests need Debian's Chromium (never a downloaded browser) and a CJK font so
 * screenshots are legible. As root with apt, install them; otherwise say how.
 */
export function provisionBrowser(log: (l: string) => void = console.log): void {
  const haveChromium = fs.existsSync(CHROMIUM_PATH);
  const haveCjkFont = fs.existsSync('/usr/share/fonts/truetype/wqy') || fs.existsSync('/usr/share/fonts/opentype/noto');
  if (haveChromium && haveCjkFont) return;
  const packages = [...(haveChromium ? [] : ['chromium']), ...(haveCjkFont ? [] : ['fonts-wqy-zenhei'])];
  if (aptUnavailable()) {
    if (!haveChromium)
      throw new ConfigError(
        `The browser tests need Chromium at ${CHROMIUM_PATH}, which is missing. Install Debian's package (sudo apt-get install chromium fonts-wqy-zenhei), or set JUECE_CHROMIUM to a Chromium binary.`,
      );
    log('Note: no CJK font is installed (fonts-wqy-zenhei); test screenshots will show boxes for Chinese text.');
    return;
  }
  aptInstall(packages, 'for the browser tests', '1–3 minutes', log, '--no-install-recommends');
  if (!fs.existsSync(CHROMIUM_PATH)) throw new ConfigError(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing; set JUECE_CHROMIUM.`);
}

/** Why apt cannot install here (not root, or no apt-get); null when it can. */
function aptUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'installing it needs root';
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return 'there is no apt-get to install it with';
  return null;
}

/** apt-get update and install, saying what and why; throws a ConfigError with apt's last lines. */
function aptInstall(packages: string[], why: string, takes: string, log: (l: string) => void, ...flags: string[]) {
  log(`Provisioning: installing Debian's ${packages.join(' and ')} ${why} (apt-get; about ${takes}).`);
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...flags, ...packages]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new ConfigError(`apt-get ${args.join(' ')} failed (exit ${r.status}): ${String(r.stderr).split('\n').slice(-5).join('\n')}\nInstall ${packages.join(' ')} yourself.`);
  }
}

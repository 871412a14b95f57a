/**
 * The embedded PostgreSQL's cluster when its unprivileged user cannot reach the data directory
 * (a parent is private, as /root is): the files go under /var/lib/juece, the data survives a
 * restart, and deleting the data directory deletes the store with it. As root PostgreSQL runs as
 * another user, who cannot enter the private parent; as anyone else it runs as ourselves, and its
 * files stay in the data directory.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPostgres, POSTGRES_DATABASE, startPostgres } from '../../server/postgres';
import { freePort } from '../../server/services';

const install = findPostgres();
const asRoot = process.getuid?.() === 0;

test('a cluster its user cannot reach goes to /var/lib/juece (as root; else it stays in the data directory), keeps its data across restarts, and goes with its data directory', async () => {
  // npm test provisions PostgreSQL (the embedded store runs on it): without it there is nothing to test here.
  if (!install) throw new Error('No PostgreSQL found: run `npm test` (it installs Debian\'s postgresql as root) or put its binaries on PATH.');
  // mkdtemp makes a directory only its owner (root) may enter.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-private-'));
  const dataDir = path.join(parent, 'data');
  const elsewhere = path.join('/var/lib/juece', `pgdata-${crypto.createHash('sha256').update(path.join(dataDir, 'postgresql')).digest('hex').slice(0, 12)}`);
  const port = await freePort();
  const start = () => startPostgres({ install: install!, port, dataDir, logFile: path.join(parent, 'postgresql.log'), durable: false, log: () => undefined });
  const sql = (q: string) =>
    execFileSync(path.join(install!.binDir, 'psql'), ['-X', '-q', '-t', '-A', '-h', '127.0.0.1', '-p', String(port), '-U', 'juece', '-d', POSTGRES_DATABASE, '-c', q], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: fs.readFileSync(path.join(dataDir, 'postgresql', 'password'), 'utf8').trim() },
    }).trim();
  try {
    let pg = await start();
    expect(fs.existsSync(path.join(dataDir, 'postgresql', 'pgdata', 'PG_VERSION'))).toBe(!asRoot);
    expect(fs.existsSync(path.join(elsewhere, 'PG_VERSION'))).toBe(asRoot);
    expect(await pg.check()).toBe(`PostgreSQL ${install!.version} on 127.0.0.1:${port}`);
    // Not a superuser-only trick: the role FerretDB uses owns the database.
    sql('CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');
    await pg.stop();

    pg = await start();
    expect(sql('SELECT x FROM kept')).toBe('42');
    await pg.stop();

    // The data directory is deleted (a reset): its cluster elsewhere goes too, and a new one is made.
    fs.rmSync(dataDir, { recursive: true, force: true });
    pg = await start();
    expect(sql("SELECT count(*) FROM pg_tables WHERE tablename = 'kept'")).toBe('0');
    await pg.stop();
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});

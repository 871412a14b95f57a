/**
 * Which backend the embedded FerretDB runs on (server/embedded-store.ts): PostgreSQL by default,
 * SQLite when asked, when PostgreSQL cannot be had, or when the data directory already holds a
 * SQLite store — each fallback with a note that says why and what to do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../server/config';
import { chooseBackend } from '../../server/embedded-store';

const installed = { binDir: '/usr/lib/postgresql/15/bin', version: '15.18' };
const missing = { unavailable: 'is not installed, and installing it needs root (sudo apt-get install postgresql)' };
let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-backend-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test('unset, with PostgreSQL at hand: PostgreSQL, without a note', () => {
  expect(chooseBackend({ postgres: installed, dataDir })).toEqual({ backend: 'postgresql' });
});

test('unset, without PostgreSQL: SQLite, with a note saying why and how to get PostgreSQL', () => {
  const { backend, note } = chooseBackend({ postgres: missing, dataDir });
  expect(backend).toBe('sqlite');
  expect(note).toContain('PostgreSQL is not installed, and installing it needs root');
  expect(note).toContain('sudo apt-get install postgresql');
});

test('unset, with this data directory already on SQLite and no cluster yet: SQLite stays, with a note', () => {
  fs.mkdirSync(path.join(dataDir, 'ferretdb'));
  fs.writeFileSync(path.join(dataDir, 'ferretdb', 'juece.sqlite'), '');
  const { backend, note } = chooseBackend({ postgres: installed, dataDir });
  expect(backend).toBe('sqlite');
  expect(note).toMatch(/holds this install's store.*JUECE_FERRETDB_BACKEND=postgresql/);
  // Once a cluster exists beside it, PostgreSQL is what this install uses.
  fs.mkdirSync(path.join(dataDir, 'postgresql'));
  expect(chooseBackend({ postgres: installed, dataDir })).toEqual({ backend: 'postgresql' });
});

test('JUECE_FERRETDB_BACKEND=sqlite: SQLite, even with PostgreSQL at hand', () => {
  expect(chooseBackend({ backend: 'sqlite', postgres: installed, dataDir })).toEqual({ backend: 'sqlite' });
});

test('JUECE_FERRETDB_BACKEND=postgresql without PostgreSQL: a start-up error, not a silent fallback', () => {
  expect(() => chooseBackend({ backend: 'postgresql', postgres: missing, dataDir })).toThrow(ConfigError);
  expect(() => chooseBackend({ backend: 'postgresql', postgres: missing, dataDir })).toThrow(/set JUECE_FERRETDB_BACKEND=sqlite/);
  expect(chooseBackend({ backend: 'postgresql', postgres: installed, dataDir })).toEqual({ backend: 'postgresql' });
});

/** Stops the suite's throwaway servers, also after failures. */
import fs from 'node:fs';
import type { ManagedServer } from '../server/services';
import { STATE_ENV, type SuiteState } from './support/suite-state';

export default async function globalTeardown() {
  const servers = (globalThis as { __JUECE_SERVERS__?: ManagedServer[] }).__JUECE_SERVERS__ ?? [];
  for (const s of [...servers].reverse()) await s.stop();
  const file = process.env[STATE_ENV];
  if (file && fs.existsSync(file)) {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteState;
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
}

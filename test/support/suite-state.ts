/** What global setup hands to the test files (through the environment, which Jest workers inherit). */
import fs from 'node:fs';

export const STATE_ENV = 'JUECE_SUITE_STATE';

export interface SuiteState {
  dir: string;
  temporalAddress: string;
  mongoUri: string;
  /** What the store is: the embedded FerretDB's backend, or an external MongoDB (MONGODB_URI). */
  storeBackend: 'postgresql' | 'sqlite' | 'external';
  bundlePath: string;
  namespace: string;
}

export function readSuiteState(): SuiteState {
  const file = process.env[STATE_ENV];
  if (!file || !fs.existsSync(file)) throw new Error('The integration suite state is missing: run through jest (test/global-setup.ts).');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteState;
}

/**
 * Integration suite setup: throwaway Temporal and FerretDB (on PostgreSQL, like `npm start`)
 * servers on free ports (so tests never collide with a running `npm start`), and one workflow
 * bundle reused by every worker. TEMPORAL_ADDRESS / MONGODB_URI, when set, point the suite at
 * external servers instead; JUECE_FERRETDB_BACKEND=sqlite runs it on FerretDB's SQLite backend.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { buildUi } from '../ui/build';
import { provisionFor } from '../server/provision';
import { startThrowawayStore } from '../server/embedded-store';
import { freePort, startTemporalDev, type ManagedServer } from '../server/services';
import { bundleWorkflows } from '../server/worker';
import { STATE_ENV, type SuiteState } from './support/suite-state';

export default async function globalSetup() {
  const config = loadConfig();
  const bins = await provisionFor(config);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juece-test-'));
  const servers: ManagedServer[] = [];
  try {
    let temporalAddress = config.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const t = await startTemporalDev({ bin: bins.temporal!, port: await freePort(), uiPort: null, logFile: path.join(dir, 'temporal.log'), startTimeoutMs: 90_000 });
      servers.push(t);
      temporalAddress = t.address;
    }
    let mongoUri = config.MONGODB_URI;
    let storeBackend: SuiteState['storeBackend'] = 'external';
    if (!mongoUri) {
      const store = await startThrowawayStore(config, bins, dir);
      servers.push(...store.servers);
      mongoUri = store.uri;
      storeBackend = store.backend;
    }
    await buildUi({ quiet: true });
    const bundle = await bundleWorkflows();
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const state: SuiteState = { dir, temporalAddress, mongoUri, storeBackend, bundlePath, namespace: config.TEMPORAL_NAMESPACE };
    const stateFile = path.join(dir, 'suite.json');
    fs.writeFileSync(stateFile, JSON.stringify(state));
    process.env[STATE_ENV] = stateFile;
    (globalThis as { __JUECE_SERVERS__?: ManagedServer[] }).__JUECE_SERVERS__ = servers;
  } catch (err) {
    for (const s of servers.reverse()) await s.stop();
    throw err;
  }
}

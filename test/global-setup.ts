/**
 * Integration suite setup: throwaway Temporal and FerretDB servers on free ports (so tests
 * never collide with a running `npm start`), and one workflow bundle reused by every worker.
 * TEMPORAL_ADDRESS / MONGODB_URI, when set, point the suite at external servers instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { buildUi } from '../ui/build';
import { provisionFor } from '../server/provision';
import { freePort, startFerretdb, startTemporalDev, type ManagedServer } from '../server/services';
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
    if (!mongoUri) {
      const f = await startFerretdb({ bin: bins.ferretdb!, port: await freePort(), dataDir: path.join(dir, 'ferretdb'), logFile: path.join(dir, 'ferretdb.log') });
      servers.push(f);
      mongoUri = f.uri;
    }
    await buildUi({ quiet: true });
    const bundle = await bundleWorkflows();
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const state: SuiteState = { dir, temporalAddress, mongoUri, bundlePath, namespace: config.TEMPORAL_NAMESPACE };
    const stateFile = path.join(dir, 'suite.json');
    fs.writeFileSync(stateFile, JSON.stringify(state));
    process.env[STATE_ENV] = stateFile;
    (globalThis as { __JUECE_SERVERS__?: ManagedServer[] }).__JUECE_SERVERS__ = servers;
  } catch (err) {
    for (const s of servers) await s.stop();
    throw err;
  }
}

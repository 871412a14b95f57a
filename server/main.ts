/**
 * `npm start`: the embedded default. Starts the Temporal dev server and FerretDB on PostgreSQL
 * (unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere), the worker and the API, and stops
 * them all on Ctrl-C. Data lives in JUECE_DATA_DIR, so a restart resumes every decision. The
 * child servers are supervised (server/supervisor.ts): one that crashes is started again with
 * back-off, logged, and shown in /healthz; Ctrl-C halts supervision before anything stops.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildUi } from '../ui/build';
import { createApp } from './app';
import { seedDemo } from './demo';
import { demoLoginLines, seedDemoPeople } from './demo-people';
import { ConfigError, loadConfig } from './config';
import { supervisionOf } from './route-kit';
import { healthProbe } from './health';
import { provisionFor } from './provision';
import { startConfiguredStore } from './embedded-store';
import { portInUse, startTemporalDev, type ManagedServer } from './services';
import { supervise, type Supervised } from './supervisor';
import { createMailer } from './mailer';
import { startNotificationLoops } from './notify-loops';
import { connectApiDeps, redact } from './stack';
import { createWorker } from './worker';
import { portalSettingsOf } from './portal/limits';

async function main() {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const children: Supervised[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let stopping = false;
  const logEvent = (line: string) => console.error(`${new Date().toISOString()} ${line}`);
  const supervised = (servers: ManagedServer[]) => children.push(...servers.map((server) => supervise(server, { log: logEvent })));
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Ctrl-C reaches the child servers too: their exits now are no crash, and nothing restarts.
    for (const c of children) c.halt();
    console.log('\nStopping Juece…');
    for (const c of cleanups.reverse()) await c().catch((e) => console.error(`  ${String(e?.message ?? e)}`));
    for (const c of [...children].reverse()) await c.stop();
    console.log('Stopped. Data is kept in', config.JUECE_DATA_DIR);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    if (await portInUse(config.JUECE_PORT))
      throw new ConfigError(`Port ${config.JUECE_PORT} is already in use, so the Juece API cannot start there. Is Juece already running? Stop it, or choose another port with JUECE_PORT=<port>.`);

    const bins = await provisionFor(config);
    const logs = path.join(config.JUECE_DATA_DIR, 'logs');

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUi: string | undefined;
    if (!temporalAddress) {
      console.log('Starting the Temporal dev server…');
      const t = await startTemporalDev({
        bin: bins.temporal!,
        port: config.JUECE_TEMPORAL_PORT,
        uiPort: config.JUECE_TEMPORAL_PORT + 1000,
        dbFile: path.join(config.JUECE_DATA_DIR, 'temporal', 'temporal.db'),
        logFile: path.join(logs, 'temporal.log'),
      });
      supervised([t]);
      temporalAddress = t.address;
      temporalUi = t.uiUrl;
    }

    let mongoUri = config.MONGODB_URI;
    let storeLabel = 'external MongoDB';
    let checkPostgres: (() => Promise<string>) | undefined;
    if (!mongoUri) {
      console.log('Starting the document store (FerretDB)…');
      const store = await startConfiguredStore(config, bins, { logDir: logs });
      supervised(store.servers);
      mongoUri = store.uri;
      storeLabel = store.label;
      checkPostgres = store.checkPostgres;
    }

    const deps = await connectApiDeps({ temporalAddress, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, mongoUri, mongoDb: config.MONGODB_DB });
    cleanups.push(() => deps.close());

    console.log('Starting the worker (bundling workflow code)…');
    const { worker, connection, run } = await createWorker({ address: temporalAddress, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, models: deps.models });
    const running = run();
    cleanups.push(async () => {
      // The SDK already begins draining on SIGINT/SIGTERM; ask only if it has not.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    });
    running.catch((err) => {
      console.error('The worker stopped unexpectedly:', err?.message ?? err);
      void stop(1);
    });
    const mailer = config.JUECE_SMTP_URL
      ? createMailer({ smtpUrl: config.JUECE_SMTP_URL, from: config.JUECE_MAIL_FROM, publicUrl: config.JUECE_PUBLIC_URL ?? `http://localhost:${config.JUECE_PORT}` })
      : null;
    const loops = startNotificationLoops({ models: deps.models, calendar: deps.calendar, mailer, dueSoonDays: config.JUECE_DUE_SOON_DAYS });
    cleanups.push(() => loops.stop());

    const demo = config.JUECE_DEMO_DATA === 'on' || (config.JUECE_DEMO_DATA === 'auto' && !config.MONGODB_URI);
    let logins: string[] = [];
    if (demo) {
      logins = demoLoginLines(await seedDemoPeople(deps.models, config.JUECE_DATA_DIR));
      const n = await seedDemo(deps);
      if (n) console.log(`Seeded ${n} demo decisions (JUECE_DEMO_DATA=off to skip).`);
    } else if ((await deps.models.User.estimatedDocumentCount()) === 0) {
      logins = ['No user accounts yet. Add the first with: npm run juece -- org add … && npm run juece -- user add …'];
    }
    await buildUi();
    const app = createApp({ ...deps, cookieSecure: config.JUECE_COOKIE_SECURE, trustProxy: config.JUECE_TRUST_PROXY, policy: { quorum: config.JUECE_MEETING_QUORUM }, supervision: supervisionOf(config), portal: portalSettingsOf(config), live: { intervalMs: config.JUECE_LIVE_POLL_MS } }, healthProbe(deps.client, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, deps.store, { storeLabel, checkPostgres, processes: () => children.map((c) => c.status()) }));
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.JUECE_PORT, config.JUECE_HOST, () => resolve(s));
      s.once('error', reject);
    });
    // Open event streams (live updates) never end by themselves: close them with the server.
    cleanups.push(() => new Promise((r) => (server.close(() => r()), server.closeAllConnections())));

    console.log('');
    console.log(`Juece is running:      http://localhost:${config.JUECE_PORT}/`);
    console.log(`  health:              http://localhost:${config.JUECE_PORT}/healthz`);
    console.log(`  API description:     http://localhost:${config.JUECE_PORT}/api/openapi.json`);
    if (temporalUi) console.log(`  Temporal Web UI:     ${temporalUi.replace('127.0.0.1', 'localhost')}`);
    console.log(`  Temporal:            ${temporalAddress}${config.TEMPORAL_ADDRESS ? ' (external)' : ' (embedded dev server)'}`);
    console.log(`  store:               ${config.MONGODB_URI ? storeLabel : `${storeLabel} at ${mongoUri}`}`);
    console.log(`  data:                ${config.JUECE_DATA_DIR}`);
    console.log(`  e-mail:              ${config.JUECE_SMTP_URL ? redact(config.JUECE_SMTP_URL) : 'off — in-app notifications only (set JUECE_SMTP_URL)'}`);
    for (const line of logins) console.log(line);
    console.log('Press Ctrl-C to stop.');
  } catch (err) {
    if (err instanceof ConfigError) console.error(`\n${err.message}\n`);
    else console.error('\nJuece could not start:', (err as Error)?.stack ?? err, '\n');
    await stop(1);
  }
}

void main();

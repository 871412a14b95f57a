/** A stand-alone API server (production and docker-compose). */
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { supervisionOf } from './route-kit';
import { healthProbe } from './health';
import { connectApiDeps } from './stack';
import { portalSettingsOf } from './portal/limits';

async function main() {
  const config = loadConfig();
  if (!config.TEMPORAL_ADDRESS || !config.MONGODB_URI)
    throw new ConfigError('The stand-alone API needs TEMPORAL_ADDRESS and MONGODB_URI. For the embedded default, run "npm start" instead.');
  const deps = await connectApiDeps({
    temporalAddress: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    mongoUri: config.MONGODB_URI,
    mongoDb: config.MONGODB_DB,
  });
  const app = createApp({ ...deps, cookieSecure: config.JUECE_COOKIE_SECURE, trustProxy: config.JUECE_TRUST_PROXY, policy: { quorum: config.JUECE_MEETING_QUORUM }, supervision: supervisionOf(config), portal: portalSettingsOf(config), live: { intervalMs: config.JUECE_LIVE_POLL_MS } }, healthProbe(deps.client, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE, deps.store));
  const server = app.listen(config.JUECE_PORT, config.JUECE_HOST === '127.0.0.1' ? '0.0.0.0' : config.JUECE_HOST, () =>
    console.log(`Juece API on port ${config.JUECE_PORT}${config.JUECE_COOKIE_SECURE === 'off' ? ' (session cookies without Secure: serve it behind TLS and set JUECE_COOKIE_SECURE=on)' : ''}`),
  );
  const shutdown = () => {
    server.close(() => void deps.close().then(() => process.exit(0)));
    server.closeAllConnections(); // open event streams (live updates) never end by themselves
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

/** A stand-alone worker (production and docker-compose: scale it out by running more). */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectStore } from '../activities/models';
import { loadCalendar } from '../definitions/calendars';
import { ConfigError, loadConfig } from './config';
import { createMailer } from './mailer';
import { startNotificationLoops } from './notify-loops';
import { redact } from './stack';
import { createWorker } from './worker';

async function main() {
  const config = loadConfig();
  if (!config.TEMPORAL_ADDRESS || !config.MONGODB_URI)
    throw new ConfigError('The stand-alone worker needs TEMPORAL_ADDRESS and MONGODB_URI. For the embedded default, run "npm start" instead.');
  Runtime.install({ logger: new DefaultLogger('INFO') });
  const { conn, models } = await connectStore(config.MONGODB_URI, config.MONGODB_DB);
  const { worker, connection, run } = await createWorker({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, models });
  const mailer = config.JUECE_SMTP_URL ? createMailer({ smtpUrl: config.JUECE_SMTP_URL, from: config.JUECE_MAIL_FROM, publicUrl: config.JUECE_PUBLIC_URL }) : null;
  const loops = startNotificationLoops({ models, calendar: loadCalendar(), mailer, dueSoonDays: config.JUECE_DUE_SOON_DAYS });
  const shutdown = () => worker.shutdown();
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  console.log(`Juece worker polling "${config.TEMPORAL_TASK_QUEUE}" at ${config.TEMPORAL_ADDRESS}`);
  console.log(config.JUECE_SMTP_URL ? `E-mail notifications: on, through ${redact(config.JUECE_SMTP_URL)}` : 'E-mail notifications: off (set JUECE_SMTP_URL to send them); in-app notifications only');
  try {
    await run();
  } finally {
    await loops.stop();
  }
  await connection.close();
  await conn.close();
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

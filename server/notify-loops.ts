/**
 * The background rounds of notification: the due-soon sweep (hourly) and the e-mail outbox
 * (every few seconds). Both are safe to run in every worker process at once — reminders are
 * insert-once and e-mails are claimed before sending — so scaling workers out needs no leader.
 */
import { sweepDueSoon } from '../activities/notify';
import type { Models } from '../activities/models';
import type { WorkingCalendar } from '../workflows/calendar';
import { chinaDate } from '../workflows/guards';
import { dispatchOutbox, type Mailer } from './mailer';

export interface NotificationLoopOptions {
  models: Models;
  calendar: WorkingCalendar;
  /** null: in-app notifications only; e-mails stay pending until a mailer runs. */
  mailer: Mailer | null;
  /** Remind when a step is due within this many working days (JUECE_DUE_SOON_DAYS). */
  dueSoonDays: number;
  outboxEveryMs?: number;
  sweepEveryMs?: number;
  log?: (message: string) => void;
}

export interface NotificationLoops {
  /** Stop both rounds, wait for the one in flight, and close the mailer. */
  stop(): Promise<void>;
}

/**
 * Run `round` now and then `everyMs` after each one ends (so rounds never overlap). A failing
 * round is logged — once while it keeps failing the same way, so an unreachable store does not
 * flood the log every few seconds — and the next one runs as usual.
 */
function repeat(name: string, everyMs: number, round: () => Promise<unknown>, log: (m: string) => void) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let lastError: string | null = null;
  const tick = () => {
    inFlight = round()
      .then(
        () => {
          if (lastError !== null) log(`Notifications: the ${name} works again.`);
          lastError = null;
        },
        (err: unknown) => {
          const message = String((err as Error)?.message ?? err);
          if (message !== lastError) log(`Notifications: the ${name} round failed: ${message}`);
          lastError = message;
        },
      )
      .then(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await inFlight;
  };
}

export function startNotificationLoops(o: NotificationLoopOptions): NotificationLoops {
  const log = o.log ?? ((m: string) => console.error(m));
  const stops = [repeat('due-soon sweep', o.sweepEveryMs ?? 3_600_000, () => sweepDueSoon(o.models, o.calendar, chinaDate(Date.now()), o.dueSoonDays), log)];
  const mailer = o.mailer;
  if (mailer) stops.push(repeat('e-mail outbox', o.outboxEveryMs ?? 5000, () => dispatchOutbox(o.models, mailer), log));
  return {
    async stop() {
      await Promise.all(stops.map((s) => s()));
      mailer?.close();
    },
  };
}

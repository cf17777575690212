// The background jobs of one serve process: webhook delivery and notification mail every
// INVOKER_JOBS_INTERVAL_MS (and at once when this process wrote to the outbox), retention every
// minute, and the deletion of expired anonymous sites every round (one indexed query when there are
// none). Every job claims its work in the store, so any number of instances may run them. stop()
// waits for the round under way: a graceful shutdown never cuts an attempt's recording short.
import type { Logger } from '../logger.js';
import { anonymousExpiryJob } from './anonymous.js';
import { formsSettingsOf, type ServiceAdapters, type ServiceDeps } from './deps.js';
import { notificationsJob } from './notifications.js';
import { retentionJob } from './retention.js';
import { deliveryWorker } from './webhook-delivery.js';

const RETENTION_EVERY_MS = 60_000;

export interface Jobs {
  /** Something is due now (an event entered the outbox): run a round soon. */
  wake(): void;
  stop(): Promise<void>;
}

export async function startJobs(deps: ServiceDeps, adapters: Pick<ServiceAdapters, 'mailer'>, log: Logger): Promise<Jobs> {
  // Only one process opens a SQLite data dir: leases left by one that died (SIGKILL) are free now.
  if (deps.store.kind === 'sqlite') await deps.store.releaseDeliveryLeases();
  const worker = deliveryWorker(deps, log);
  const mail = notificationsJob(deps, adapters, log);
  const retention = retentionJob(deps);
  const expiry = anonymousExpiryJob(deps);
  let lastRetention = 0;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const round = async () => {
    await worker.runDue().catch((e: unknown) => log.error(`webhook delivery round failed: ${(e as Error).message}`));
    await mail.runDue().catch((e: unknown) => log.error(`notification round failed: ${(e as Error).message}`));
    await expiry.run().catch((e: unknown) => log.error(`anonymous-site expiry round failed: ${(e as Error).message}`));
    if (Date.now() - lastRetention >= RETENTION_EVERY_MS) {
      lastRetention = Date.now();
      await retention.run().catch((e: unknown) => log.error(`retention round failed: ${(e as Error).message}`));
    }
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round().finally(() => {
      running = null;
      if (again) {
        again = false;
        kick();
      }
    });
  };
  const timer = setInterval(kick, formsSettingsOf(deps).jobsIntervalMs);
  timer.unref();
  kick();
  return {
    wake: kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}

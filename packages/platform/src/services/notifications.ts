// Submission mail (SPEC section 13): with `notify` on, new submissions are mailed to the org owner
// and to the addresses that confirmed, at most one mail per site per INVOKER_NOTIFY_INTERVAL_SECONDS
// (60): what arrives in between waits for the next mail, which carries all of it. Each batch is
// claimed in the store by one instance, so several instances never mail the same submissions twice.
import type { Logger } from '../logger.js';
import type { NotifyBatch, SubmissionRecord } from '../store/store.js';
import { formsSettingsOf, type ServiceAdapters, type ServiceDeps } from './deps.js';

export type NotificationsDeps = Pick<ServiceDeps, 'store' | 'urls' | 'now' | 'forms'>;

/** Submissions written out in one mail; the rest are counted and linked. */
const SHOWN = 20;

function fieldLines(s: SubmissionRecord): string[] {
  return Object.entries(s.data).map(([name, value]) => `  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`.slice(0, 1000));
}

export function notificationMail(batch: NotifyBatch, submissions: SubmissionRecord[], dashboardUrl: string): { subject: string; text: string } {
  const count = Math.max(submissions.length, batch.toSeq - batch.fromSeq);
  const subject = count === 1 ? `New submission on ${batch.slug}` : `${count} new submissions on ${batch.slug}`;
  const blocks = submissions.slice(0, SHOWN).map((s) => [`${s.createdAt} (${s.id})`, ...fieldLines(s)].join('\n'));
  const more = count > SHOWN ? `\n…and ${count - SHOWN} more.\n` : '';
  const text =
    `${subject}. What the visitors sent (their words, not ours):\n\n${blocks.join('\n\n')}\n${more}\n` +
    `All submissions: ${dashboardUrl}\n` +
    'You get this mail because form notifications are on for this site; turn them off in its form settings.\n';
  return { subject, text };
}

export function notificationsJob(deps: NotificationsDeps, adapters: Pick<ServiceAdapters, 'mailer'>, log: Logger) {
  return {
    /** Mails every site whose batch is due; returns how many mails went out. */
    async runDue(): Promise<number> {
      const now = deps.now();
      const cutoff = new Date(now.getTime() - formsSettingsOf(deps).notifyIntervalSeconds * 1000);
      const batches = await deps.store.claimNotifyBatches(cutoff.toISOString(), now.toISOString());
      let sent = 0;
      for (const batch of batches) {
        const submissions = await deps.store.submissionsBetween(batch.siteId, batch.fromSeq, batch.toSeq, SHOWN);
        if (submissions.length === 0) continue;
        const mail = notificationMail(batch, submissions, `${deps.urls.publicUrl}/dashboard/sites/${batch.siteId}`);
        for (const to of new Set([batch.ownerEmail, ...batch.recipients])) {
          try {
            await adapters.mailer.sendText?.({ to, ...mail });
            sent++;
          } catch (e) {
            // Claimed already: the next batch carries only newer submissions. Said in the log.
            log.warn(`form notification for ${batch.slug} to ${to} failed: ${(e as Error).message}`);
          }
        }
      }
      return sent;
    },
  };
}

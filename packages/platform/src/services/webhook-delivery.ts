// Delivering the webhook outbox (SPEC section 13): at least once, the first attempt at once, then a
// retry after each entry of the schedule (INVOKER_WEBHOOK_RETRY_SECONDS), every attempt recorded.
// Each worker leases the deliveries it takes (PostgreSQL: FOR UPDATE SKIP LOCKED, so two instances
// never hold one delivery at once); a lease outlives one attempt, so a worker that dies mid-attempt
// leaves a delivery that another (or the restarted one) takes when the lease lapses. Every attempt
// resolves and checks the target again (guardedFetch: no redirects, time and size limits).
import { createHmac, randomBytes } from 'node:crypto';
import { AppError } from 'invoker-mcp/errors.js';
import { guardedFetch } from '../outbound-fetch.js';
import type { Logger } from '../logger.js';
import type { AttemptOutcome, DeliveryRecord, Store } from '../store/store.js';
import { formsSettingsOf, type ServiceDeps } from './deps.js';

export type DeliveryDeps = Pick<ServiceDeps, 'store' | 'now' | 'secret' | 'outbound' | 'forms'>;

/** Deliveries one worker takes at a time. */
const BATCH = 16;
/** Bytes of a receiver's answer kept (its excerpt shows the first EXCERPT characters). */
const MAX_ANSWER_BYTES = 4096;
const EXCERPT = 300;
/** Past the attempt's timeout, what the lease leaves for recording the outcome. */
const LEASE_MARGIN_MS = 5000;

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret's bytes. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** What a `slack` webhook posts: Slack's incoming-webhook `{text}`, made from the generic body. */
export function slackText(body: string): string {
  const event = JSON.parse(body) as { type: string; data: { slug?: string; url?: string; submission?: { data?: Record<string, unknown> } } };
  const site = event.data.slug ?? 'a site';
  if (event.type === 'submission.created') {
    const fields = Object.entries(event.data.submission?.data ?? {})
      .slice(0, 20)
      .map(([k, v]) => `• ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`.slice(0, 300));
    return [`New submission on ${site}`, ...fields].join('\n');
  }
  if (event.type === 'site.published') return `${site} was published: ${event.data.url ?? ''}`.trim();
  return `${site} was deleted`;
}

function excerptOf(body: Buffer): string | null {
  if (body.byteLength === 0) return null;
  // Control characters out: the excerpt is shown in the dashboard and to the model as data.
  return body.toString('utf8').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').slice(0, EXCERPT);
}

/**
 * Records attempts that end in the same turn of the event loop in one transaction: under load a
 * batch's answers arrive together, and each attempt in a transaction of its own was a commit (and
 * an fsync) each. Each caller still hears whether its own attempt was recorded.
 */
function attemptRecorder(store: () => Store): (outcome: AttemptOutcome) => Promise<boolean> {
  let waiting: Array<{ outcome: AttemptOutcome; done: (recorded: boolean) => void; failed: (e: unknown) => void }> = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    store()
      .finishAttempts(batch.map((w) => w.outcome))
      .then(
        (recorded) => batch.forEach((w, i) => w.done(recorded[i] === true)),
        (e: unknown) => batch.forEach((w) => w.failed(e)),
      );
  };
  return (outcome) =>
    new Promise<boolean>((done, failed) => {
      if (waiting.push({ outcome, done, failed }) === 1) setImmediate(flush);
    });
}

export type DeliveryWorker = ReturnType<typeof deliveryWorker>;

export function deliveryWorker(deps: DeliveryDeps, log: Logger) {
  const token = randomBytes(12).toString('base64url');
  const record = attemptRecorder(() => deps.store);

  async function attempt(d: DeliveryRecord): Promise<void> {
    const settings = formsSettingsOf(deps);
    const started = deps.now();
    const number = d.attempts + 1;
    let statusCode: number | null = null;
    let error: string | null = null;
    let excerpt: string | null = null;
    const secret = deps.secret.unseal('webhook-secret', d.secretSealed);
    try {
      if (secret === null) throw new AppError('config', 'The signing secret cannot be opened with this INVOKER_SECRET (was the secret changed?).');
      const timestamp = Math.floor(started.getTime() / 1000);
      const body = d.type === 'slack' ? JSON.stringify({ text: slackText(d.body) }) : d.body;
      const answer = await guardedFetch(
        d.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Invoker-Webhooks/1',
            'webhook-id': d.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signature(secret, d.id, timestamp, body),
          },
          body,
        },
        { ...deps.outbound, timeoutMs: settings.webhookTimeoutMs, maxBytes: MAX_ANSWER_BYTES },
      );
      statusCode = answer.status;
      excerpt = excerptOf(answer.body);
      if (statusCode >= 300 && statusCode < 400) error = 'Redirects are not followed: give the final URL.';
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const finished = deps.now();
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const retryIn = settings.webhookRetrySeconds[number - 1];
    const status = ok ? 'delivered' : retryIn === undefined ? 'failed' : 'pending';
    const next = status === 'pending' ? new Date(finished.getTime() + (retryIn as number) * 1000) : finished;
    const recorded = await record({
      deliveryId: d.id,
      leaseToken: token,
      status,
      nextAttemptAt: next.toISOString(),
      finishedAt: status === 'pending' ? null : finished.toISOString(),
      attempt: { deliveryId: d.id, attempt: number, startedAt: started.toISOString(), statusCode, durationMs: finished.getTime() - started.getTime(), error, excerpt },
    });
    if (!recorded) log.warn(`webhook delivery ${d.id}: the lease lapsed during attempt ${number}; another worker owns it now.`);
  }

  return {
    /** Delivers what is due now, a batch at a time, until nothing is; returns how many attempts ran. */
    async runDue(): Promise<number> {
      let total = 0;
      for (;;) {
        const now = deps.now();
        const leaseUntil = new Date(now.getTime() + formsSettingsOf(deps).webhookTimeoutMs + LEASE_MARGIN_MS);
        const due = await deps.store.claimDeliveries({ now: now.toISOString(), leaseUntil: leaseUntil.toISOString(), token, limit: BATCH });
        if (due.length === 0) return total;
        await Promise.all(due.map((d) => attempt(d).catch((e: unknown) => log.error(`webhook delivery ${d.id}: ${(e as Error).message}`))));
        total += due.length;
      }
    },
  };
}

// Webhooks and their outbox: each store operation once, for both backends (see ../sql/steps.ts).
// enqueue() runs inside the transaction of the change it tells of (a submission, a publish, a
// delete), so an event is in the outbox exactly when its change committed.
import type { AttemptOutcome, AttemptRecord, DeliveryRecord, OutboxEvent, WebhookEventType, WebhookRecord, WebhookType } from '../forms-records.js';
import { toSite } from '../shared.js';
import { listeningPattern } from '../sql/fragments.js';
import { attempts, deliveries, sites, webhooks } from '../sql/statements.js';
import { all, get, run, write, type Op, type Row } from '../sql/steps.js';
import type { SiteRecord, Store } from '../store.js';

export function toWebhook(row: Row): WebhookRecord {
  return {
    id: String(row.id),
    siteId: String(row.site_id),
    url: String(row.url),
    type: String(row.type) as WebhookType,
    events: JSON.parse(String(row.events)) as WebhookEventType[],
    createdAt: String(row.created_at),
  };
}

export function toDelivery(row: Row): DeliveryRecord {
  return {
    id: String(row.id),
    webhookId: String(row.webhook_id),
    siteId: String(row.site_id),
    eventType: String(row.event_type) as WebhookEventType,
    url: String(row.url),
    type: String(row.type) as WebhookType,
    secretSealed: String(row.secret_sealed),
    body: String(row.body),
    status: String(row.status) as DeliveryRecord['status'],
    attempts: Number(row.attempts),
    nextAttemptAt: String(row.next_attempt_at),
    createdAt: String(row.created_at),
    finishedAt: row.finished_at == null ? null : String(row.finished_at),
  };
}

function toAttempt(row: Row): AttemptRecord {
  return {
    deliveryId: String(row.delivery_id),
    attempt: Number(row.attempt),
    startedAt: String(row.started_at),
    statusCode: row.status_code == null ? null : Number(row.status_code),
    durationMs: Number(row.duration_ms),
    error: row.error == null ? null : String(row.error),
    excerpt: row.excerpt == null ? null : String(row.excerpt),
  };
}

/**
 * Writes one delivery per webhook of the site that listens to the event, due at once: one read (the
 * listeners, with the site the event's body is made from) and blind inserts. `mayListen` false: the
 * caller read already that nobody does (sites.holder's publish_hooks), so nothing is asked.
 */
export function* enqueue(siteId: string, event: OutboxEvent, now: string, known?: SiteRecord, mayListen = true): Op<number> {
  if (!mayListen) return 0;
  // A caller that holds the site asks for the listeners only; any other reads the site with them.
  const hooks = yield* all(known ? webhooks.listening : webhooks.listeningWithSite, siteId, listeningPattern(event.type));
  const first = hooks[0];
  if (!first) return 0;
  const body = event.body(known ?? toSite(first));
  // Nothing reads the inserts back: on PostgreSQL they go out behind each other and the COMMIT.
  for (const h of hooks) {
    yield* write(deliveries.insert, event.newId(), String(h.hook_id), siteId, event.type, String(h.hook_url), String(h.hook_type), String(h.hook_secret_sealed), body, now, now);
  }
  return hooks.length;
}

export function* createWebhook(input: Parameters<Store['createWebhook']>[0]): Op<WebhookRecord | 'limit' | null> {
  if (!(yield* get(sites.ownedByOrg, input.siteId, input.orgId))) return null;
  if (Number((yield* get(webhooks.countOfSite, input.siteId))?.n) >= input.maxPerSite) return 'limit';
  yield* run(webhooks.insert, input.id, input.siteId, input.url, input.type, JSON.stringify(input.events), input.secretSealed, input.now);
  return toWebhook((yield* get(webhooks.one, input.id, input.siteId)) as Row);
}

export function* listWebhooks(orgId: string, siteId: string): Op<WebhookRecord[] | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  return (yield* all(webhooks.ofSite, siteId)).map(toWebhook);
}

/** Deletes the webhook and its outbox rows: nothing more is sent to it. */
export function* deleteWebhook(orgId: string, siteId: string, webhookId: string): Op<boolean> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return false;
  if ((yield* run(webhooks.delete, webhookId, siteId)) === 0) return false;
  yield* run(deliveries.deleteOfWebhook, webhookId);
  return true;
}

export function* listDeliveries(
  orgId: string,
  siteId: string,
  webhookId: string,
  limit: number,
): Op<Array<DeliveryRecord & { attemptList: AttemptRecord[] }> | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  if (!(yield* get(webhooks.one, webhookId, siteId))) return null;
  const out: Array<DeliveryRecord & { attemptList: AttemptRecord[] }> = [];
  for (const row of yield* all(deliveries.ofWebhook, webhookId, limit)) {
    out.push({ ...toDelivery(row), attemptList: (yield* all(attempts.ofDelivery, String(row.id))).map(toAttempt) });
  }
  return out;
}

export function* recentAttempts(webhookId: string, limit: number): Op<AttemptRecord[]> {
  return (yield* all(attempts.latestOfWebhook, webhookId, limit)).map(toAttempt);
}

export function* claimDeliveries(input: { now: string; leaseUntil: string; token: string; limit: number }): Op<DeliveryRecord[]> {
  return (yield* all(deliveries.claim, input.leaseUntil, input.token, input.now, input.now, input.limit)).map(toDelivery);
}

/**
 * Records each attempt whose lease still holds, all in one transaction (one commit for a batch); an
 * attempt whose lease was lost is not recorded (another worker owns that delivery now).
 */
export function* finishAttempts(outcomes: AttemptOutcome[]): Op<boolean[]> {
  const recorded: boolean[] = [];
  for (const o of outcomes) {
    const changed = yield* run(deliveries.finish, o.status, o.attempt.attempt, o.nextAttemptAt, o.finishedAt, o.deliveryId, o.leaseToken);
    if (changed > 0) {
      const a = o.attempt;
      yield* run(attempts.insert, a.deliveryId, a.attempt, a.startedAt, a.statusCode, a.durationMs, a.error, a.excerpt);
    }
    recorded.push(changed > 0);
  }
  return recorded;
}

export function* releaseDeliveryLeases(): Op<void> {
  yield* run(deliveries.releaseAll);
}

export function* deleteFinishedDeliveriesBefore(time: string): Op<number> {
  return yield* run(deliveries.deleteFinishedBefore, time);
}

export function* pendingDeliveries(): Op<number> {
  return Number((yield* get(deliveries.pendingCount))?.n);
}

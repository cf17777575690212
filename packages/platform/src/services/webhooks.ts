// Webhooks (SPEC section 13): a site's targets for its events, with the hosted product's routes and
// types. A target passes the outbound guard when it is created (a literal private address, or a name
// resolving to one, is a 400) and again on every attempt (webhook-delivery.ts). Signing secrets are
// Standard Webhooks `whsec_` keys, shown once and stored sealed under INVOKER_SECRET: they must be
// used again, so they cannot be hashes. The events enter the outbox in the transaction of their
// change: the store writes them from the OutboxEvent made here.
import { randomBytes } from 'node:crypto';
import { AppError } from 'invoker-mcp/errors.js';
import type { CreatedWebhook, CreateWebhookRequest, DeliveryList, Webhook, WebhookList } from 'invoker-mcp/contract/forms.js';
import type { AttemptRecord, OutboxEvent, WebhookEventType, WebhookRecord } from '../store/store.js';
import { vetTarget } from '../outbound-fetch.js';
import { formsSettingsOf, randomnessOf, type ServiceDeps } from './deps.js';
import { siteNotFound } from './next-steps.js';
import { liveUrl } from './urls.js';

export type WebhooksDeps = Pick<ServiceDeps, 'store' | 'urls' | 'now' | 'random' | 'secret' | 'outbound' | 'forms'>;

/** Deliveries listed per webhook, newest first. */
const DELIVERIES_SHOWN = 20;
/** Failed attempts list_webhooks shows per webhook. */
const FAILURES_SHOWN = 3;

export function attemptJson(a: AttemptRecord) {
  return { attempt: a.attempt, started_at: a.startedAt, status_code: a.statusCode, duration_ms: a.durationMs, error: a.error, excerpt: a.excerpt };
}

function webhookJson(w: WebhookRecord): Webhook {
  return { id: w.id, url: w.url, type: w.type, events: w.events, created_at: w.createdAt };
}

type EventData = (site: Parameters<OutboxEvent['body']>[0]) => Record<string, unknown>;

/**
 * An outbox event that counts the deliveries written with it (the store asks newId() once per
 * listening webhook). The caller wakes the delivery job only when `queued > 0`: a publish of a site
 * nobody listens to, the common case, then costs no job round. A class, not an object literal with
 * closures: one is made for every deploy and every form post.
 */
export class CountedEvent implements OutboxEvent {
  queued = 0;
  private readonly timestamp: string;

  constructor(
    private readonly deps: Pick<ServiceDeps, 'random' | 'now' | 'urls'>,
    readonly type: WebhookEventType,
    private readonly data: EventData,
  ) {
    this.timestamp = deps.now().toISOString();
  }

  body(site: Parameters<OutboxEvent['body']>[0]): string {
    return JSON.stringify({ type: this.type, timestamp: this.timestamp, data: { deployment_id: site.id, slug: site.slug, ...this.data(site) } });
  }

  newId(): string {
    this.queued++;
    return randomnessOf(this.deps).id('msg');
  }
}

/** An event of the site for the outbox: `{type, timestamp, data}`, data made from the site as the change left it. */
export function outboxEvent(deps: Pick<ServiceDeps, 'random' | 'now' | 'urls'>, type: WebhookEventType, data: EventData): CountedEvent {
  return new CountedEvent(deps, type, data);
}

export function sitePublishedEvent(deps: Pick<ServiceDeps, 'random' | 'now' | 'urls'>): CountedEvent {
  return outboxEvent(deps, 'site.published', (site) => ({ url: liveUrl(deps.urls, site.slug), version: site.liveVersion, title: site.title }));
}

export function siteDeletedEvent(deps: Pick<ServiceDeps, 'random' | 'now' | 'urls'>): { event: CountedEvent; now: string } {
  return { event: outboxEvent(deps, 'site.deleted', () => ({})), now: deps.now().toISOString() };
}

export type WebhooksService = ReturnType<typeof webhooksService>;

export function webhooksService(deps: WebhooksDeps) {
  return {
    async create(orgId: string, siteId: string, input: CreateWebhookRequest): Promise<CreatedWebhook> {
      // Checked now (a refused address is the caller's mistake), and again before every attempt.
      await vetTarget(input.url, deps.outbound);
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      const created = await deps.store.createWebhook({
        id: randomnessOf(deps).id('whk'),
        orgId,
        siteId,
        url: input.url,
        type: input.type ?? 'generic',
        events: [...new Set<WebhookEventType>(input.events ?? ['submission.created'])],
        secretSealed: deps.secret.seal('webhook-secret', secret),
        maxPerSite: formsSettingsOf(deps).webhooksPerSite,
        now: deps.now().toISOString(),
      });
      if (created === null) throw siteNotFound();
      if (created === 'limit') {
        throw new AppError('forbidden', `This site has ${formsSettingsOf(deps).webhooksPerSite} webhooks already (INVOKER_MAX_WEBHOOKS): delete one first.`);
      }
      return { ...webhookJson(created), secret };
    },

    /** Each webhook with its newest failed attempts, so a broken target is seen at a glance. */
    async list(orgId: string, siteId: string): Promise<WebhookList> {
      const hooks = await deps.store.listWebhooks(orgId, siteId);
      if (!hooks) throw siteNotFound();
      const out: Webhook[] = [];
      for (const w of hooks) {
        const failures = (await deps.store.recentAttempts(w.id, 20)).filter((a) => a.statusCode === null || a.statusCode < 200 || a.statusCode > 299);
        out.push({ ...webhookJson(w), recent_failures: failures.slice(0, FAILURES_SHOWN).map(attemptJson) });
      }
      return { webhooks: out };
    },

    async remove(orgId: string, siteId: string, webhookId: string): Promise<void> {
      if (!(await deps.store.deleteWebhook(orgId, siteId, webhookId))) {
        throw new AppError('not_found', 'No webhook with that id on this site. List them with GET /webhooks/{deploy_id}.');
      }
    },

    async deliveries(orgId: string, siteId: string, webhookId: string): Promise<DeliveryList> {
      const list = await deps.store.listDeliveries(orgId, siteId, webhookId, DELIVERIES_SHOWN);
      if (!list) throw new AppError('not_found', 'No webhook with that id on this site. List them with GET /webhooks/{deploy_id}.');
      return {
        deliveries: list.map((d) => ({
          id: d.id,
          event: d.eventType,
          status: d.status,
          attempts: d.attemptList.map(attemptJson),
          next_attempt_at: d.status === 'pending' ? d.nextAttemptAt : null,
          created_at: d.createdAt,
        })),
      };
    },
  };
}

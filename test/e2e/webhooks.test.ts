// Webhooks end to end against a real `serve` (INVOKER_ALLOW_PRIVATE_FETCH=1, so it may post to the
// loopback receiver): a signed submission.created that the `standardwebhooks` package verifies as a
// receiver would, retried on 500s on the schedule INVOKER_WEBHOOK_RETRY_SECONDS sets, every attempt
// recorded; site.published and site.deleted (delivered after the site is gone); a slack webhook's
// {text}; and a SIGKILL with 50 deliveries in flight: the restarted serve delivers every one.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createKey, httpRequest, startPlatform, type Backend, type Platform } from '../helpers/platform.js';
import { keyedCall } from '../helpers/keyed-call.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const FAST = { INVOKER_ALLOW_PRIVATE_FETCH: '1', INVOKER_WEBHOOK_RETRY_SECONDS: '1,1,1', INVOKER_JOBS_INTERVAL_MS: '100', INVOKER_WEBHOOK_TIMEOUT_SECONDS: '2' };

const api = (platform: Platform, key: string, method: string, path: string, body?: unknown) => keyedCall(platform.port, key, method, path, body);

async function submit(platform: Platform, siteId: string, fields: Record<string, string>) {
  const res = await httpRequest(platform.port, { method: 'POST', path: `/submit/${siteId}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as { id: string };
}

async function deploySite(platform: Platform, key: string, slug: string): Promise<string> {
  const res = await api(platform, key, 'POST', '/deploy', { html: '<form action="{{SUBMIT_URL}}"></form>', slug });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

describe.each(BACKENDS)('webhooks end to end (%s)', (backend: Backend) => {
  let platform: Platform;
  let key: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    platform = await startPlatform({ backend, env: FAST });
    key = await createKey(platform, 'hooks@example.com');
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  it('signs submission.created (Standard Webhooks), retries three 500s, and records 4 attempts and 1 success', async () => {
    receiver = await startReceiver((n) => (n <= 3 ? 500 : 200));
    const siteId = await deploySite(platform, key, `hooks-${backend}`);
    const created = await api(platform, key, 'POST', `/webhooks/${siteId}`, { url: receiver.url, events: ['submission.created'] });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const listed = await api(platform, key, 'GET', `/webhooks/${siteId}`);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.secret);

    const sent = await submit(platform, siteId, { email: 'ada@example.com', message: 'Hello' });
    await receiver.waitFor((r) => r.length >= 4);
    // Nothing after the success: delivered once.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(4);

    const ids = new Set(receiver.received.map((h) => h.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const verifier = new Webhook(created.json.secret as string);
    for (const hook of receiver.received) {
      const payload = verifier.verify(hook.body, hook.headers as Record<string, string>) as any;
      expect(payload.type).toBe('submission.created');
      expect(payload.data.deployment_id).toBe(siteId);
      expect(payload.data.submission).toMatchObject({ id: sent.id, data: { email: 'ada@example.com', message: 'Hello' } });
    }
    // A forged body does not verify: the signature covers it.
    const first = receiver.received[0]!;
    expect(() => verifier.verify(first.body.replace('Hello', 'Hullo'), first.headers as Record<string, string>)).toThrow();

    const deliveries = await api(platform, key, 'GET', `/webhooks/${siteId}/${created.json.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.json.deliveries).toHaveLength(1);
    const [delivery] = deliveries.json.deliveries;
    expect(delivery).toMatchObject({ id: first.headers['webhook-id'], event: 'submission.created', status: 'delivered', next_attempt_at: null });
    expect(delivery.attempts.map((a: any) => a.status_code)).toEqual([500, 500, 500, 200]);
    expect(delivery.attempts.map((a: any) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(delivery.attempts[0].excerpt).toBe('answer 500');
    // Retries wait the schedule (1 s each), the first attempt goes at once.
    const at = receiver.received.map((h) => h.at);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(900);

    const withFailures = await api(platform, key, 'GET', `/webhooks/${siteId}`);
    expect(withFailures.json.webhooks[0].recent_failures.map((a: any) => a.status_code)).toEqual([500, 500, 500]);
    await receiver.close();
  });

  it('tells site.published (a publish, and a deploy that publishes) and site.deleted, the last after the site is gone; slack gets {text}', async () => {
    receiver = await startReceiver(() => 200);
    const siteId = await deploySite(platform, key, `events-${backend}`);
    const generic = await api(platform, key, 'POST', `/webhooks/${siteId}`, { url: `${receiver.url}?generic`, events: ['site.published', 'site.deleted'] });
    const slack = await api(platform, key, 'POST', `/webhooks/${siteId}`, { url: `${receiver.url}?slack`, type: 'slack', events: ['submission.created'] });
    expect([generic.status, slack.status]).toEqual([201, 201]);
    expect((await api(platform, key, 'POST', `/deploy/${siteId}/publish`, {})).status).toBe(200);
    // A deploy that publishes its new version tells it too (the holder's read says someone listens).
    const second = await api(platform, key, 'POST', '/deploy', { html: '<form action="{{SUBMIT_URL}}"></form><p>2</p>', slug: `events-${backend}`, publish: true });
    expect([second.status, second.json.version]).toEqual([200, 2]);
    await submit(platform, siteId, { email: 'grace@example.com' });
    await receiver.waitFor((r) => r.length >= 3);
    expect((await api(platform, key, 'DELETE', `/deploy/${siteId}`)).status).toBe(204);
    await receiver.waitFor((r) => r.length >= 4);
    const verifier = new Webhook(generic.json.secret as string);
    const generics = receiver.received.filter((h) => h.body.includes('"type":"site.')).map((h) => verifier.verify(h.body, h.headers as Record<string, string>) as any);
    expect(generics.map((e) => e.type).sort()).toEqual(['site.deleted', 'site.published', 'site.published']);
    const published = generics.filter((e) => e.type === 'site.published').map((e) => e.data);
    expect(published.sort((a, b) => a.version - b.version)).toMatchObject([
      { deployment_id: siteId, slug: `events-${backend}`, version: 1 },
      { deployment_id: siteId, slug: `events-${backend}`, version: 2 },
    ]);
    const slackBody = JSON.parse(receiver.received.find((h) => !h.body.includes('"type"'))!.body) as { text: string };
    expect(slackBody.text).toBe(`New submission on events-${backend}\n• email: grace@example.com`);
    await receiver.close();
  });
});

describe.each(BACKENDS)('webhook deliveries survive a SIGKILL (%s)', (backend: Backend) => {
  it('delivers all 50 pending deliveries after a restart, each with its own webhook-id', async () => {
    const db = backend === 'postgres' ? await createTestDatabase() : undefined;
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'invoker-sigkill-'));
    const env = { ...FAST, INVOKER_WEBHOOK_RETRY_SECONDS: '1,1,1,1,1', INVOKER_SUBMISSIONS_PER_MINUTE: '1000', ...(db ? db.env : {}) };
    // First the receiver hangs: deliveries are taken and in flight when serve dies.
    let hanging = true;
    const receiver = await startReceiver(() => (hanging ? 'hang' : 200));
    // The same store across the restart: this data dir (SQLite), or this database (PostgreSQL).
    const start = async () => ({ ...(await startPlatform({ env, dataDir })), env: db ? db.env : {} });
    let platform = await start();
    try {
      const key = await createKey(platform, 'kill@example.com');
      const siteId = await deploySite(platform, key, `kill-${backend}`);
      expect((await api(platform, key, 'POST', `/webhooks/${siteId}`, { url: receiver.url })).status).toBe(201);
      const sent: string[] = [];
      for (let i = 0; i < 50; i++) sent.push((await submit(platform, siteId, { n: String(i) })).id);
      await receiver.waitFor((r) => r.length >= 1);
      platform.process.kill('SIGKILL');
      await new Promise((r) => platform.process.once('exit', r));

      hanging = false;
      const restartedAt = Date.now();
      platform = await start();
      const answered = () => receiver.received.filter((h) => h.at >= restartedAt);
      // PostgreSQL: another instance may hold a lease, so a dead one's lapse after its timeout (2 s + 5 s).
      await receiver.waitFor(() => new Set(answered().map((h) => JSON.parse(h.body).data.submission.id)).size >= 50, 40_000);
      const delivered = new Map<string, Set<string>>();
      // Every try, before the kill and after: one webhook-id per submission.
      for (const h of receiver.received) {
        const id = JSON.parse(h.body).data.submission.id as string;
        delivered.set(id, (delivered.get(id) ?? new Set()).add(String(h.headers['webhook-id'])));
      }
      expect([...delivered.keys()].sort()).toEqual([...sent].sort());
      expect(new Set(answered().map((h) => JSON.parse(h.body).data.submission.id)).size).toBe(50);
      // At least once: a repeat carries the same webhook-id as the first try.
      for (const ids of delivered.values()) expect(ids.size).toBe(1);
    } finally {
      await receiver.close();
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
      await db?.drop();
    }
  }, 90_000);
});

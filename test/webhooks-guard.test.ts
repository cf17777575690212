// Webhook targets pass the outbound guard (SPEC sections 10 and 13), in process on both backends:
// loopback, private, link-local and IPv6 loopback targets are refused at creation (a literal, or a
// name resolving to one) without INVOKER_ALLOW_PRIVATE_FETCH; a name that turns private later is
// refused on the attempt and the failure recorded; a redirect is recorded, never followed. And the
// routes' own answers: 404 for what the org cannot reach, 403 past INVOKER_MAX_WEBHOOKS.
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryWorker } from '../packages/platform/src/services/webhook-delivery.js';
import { createTenant, openTestApp, type OpenedTestApp } from './helpers/app.js';
import { startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

const quiet = { info() {}, warn() {}, error() {} };

describe.each(['sqlite', 'postgres'] as const)('webhook targets and routes (%s)', (backend) => {
  let t: OpenedTestApp | undefined;
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await t?.close();
    t = undefined;
  });

  async function siteOf(app: OpenedTestApp, email: string) {
    const tenant = await createTenant(app, email);
    const site = await app.call('POST', '/deploy', { key: tenant.key, body: { html: '<p>x</p>' } });
    expect(site.status).toBe(201);
    return { key: tenant.key, siteId: site.body.id as string };
  }

  it('refuses private targets at creation, literal or by name, and re-checks the name on every attempt', async () => {
    t = await openTestApp(backend);
    const { key, siteId } = await siteOf(t, 'guard@example.com');
    for (const url of ['https://127.0.0.1/h', 'https://10.0.0.1/h', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/h', 'https://2130706433/h']) {
      const res = await t.call('POST', `/webhooks/${siteId}`, { key, body: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatch(/private, loopback or reserved address/);
    }
    expect((await t.call('POST', `/webhooks/${siteId}`, { key, body: { url: 'http://example.com/h' } })).body.error).toMatch(/Only https/);
    let resolvesTo = '10.1.2.3';
    t.deps.outbound.resolve = async () => [{ address: resolvesTo, family: 4 }];
    const byName = await t.call('POST', `/webhooks/${siteId}`, { key, body: { url: 'https://hooks.example.com/in' } });
    expect(byName.status).toBe(400);
    expect(byName.body.error).toBe('hooks.example.com resolves to 10.1.2.3, which is a private, loopback or reserved address: the platform does not send requests there. Use a public address.');

    // Public when created, loopback by the time of the attempt (DNS rebinding): refused, recorded.
    resolvesTo = '93.184.216.34';
    const created = await t.call('POST', `/webhooks/${siteId}`, { key, body: { url: 'https://hooks.example.com/in' } });
    expect(created.status).toBe(201);
    resolvesTo = '127.0.0.1';
    expect((await t.call('POST', `/submit/${siteId}`, { body: { a: 1 } })).status).toBe(200);
    expect(await deliveryWorker(t.deps, quiet).runDue()).toBe(1);
    const deliveries = await t.call('GET', `/webhooks/${siteId}/${created.body.id}/deliveries`, { key });
    const [attempt] = deliveries.body.deliveries[0].attempts;
    expect(attempt).toMatchObject({ attempt: 1, status_code: null });
    expect(attempt.error).toMatch(/resolves to 127\.0\.0\.1, which is a private, loopback or reserved address/);
    expect(deliveries.body.deliveries[0].status).toBe('pending');
  });

  it('records a redirect as a failed attempt and never follows it', async () => {
    t = await openTestApp(backend, { allowPrivateFetch: true });
    const { key, siteId } = await siteOf(t, 'redirect@example.com');
    const target = await startReceiver(() => 200);
    const redirecting = await startReceiver(() => ({ status: 302, headers: { location: target.url } }));
    receivers.push(target, redirecting);
    const created = await t.call('POST', `/webhooks/${siteId}`, { key, body: { url: redirecting.url } });
    expect((await t.call('POST', `/submit/${siteId}`, { body: { a: 1 } })).status).toBe(200);
    await deliveryWorker(t.deps, quiet).runDue();
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    const deliveries = await t.call('GET', `/webhooks/${siteId}/${created.body.id}/deliveries`, { key });
    expect(deliveries.body.deliveries[0].attempts[0]).toMatchObject({ status_code: 302, error: 'Redirects are not followed: give the final URL.' });
    expect(deliveries.body.deliveries[0].status).toBe('pending');
  });

  it('answers 404 outside the org, 403 past the limit, 204 on delete, and drops pending deliveries with the webhook', async () => {
    t = await openTestApp(backend, { allowPrivateFetch: true });
    const { key, siteId } = await siteOf(t, 'routes@example.com');
    const stranger = await siteOf(t, 'stranger@example.com');
    t.deps.forms = { webhooksPerSite: 1 };
    const created = await t.call('POST', `/webhooks/${siteId}`, { key, body: { url: 'http://127.0.0.1:9/h', events: ['site.published', 'site.published'] } });
    expect(created.status).toBe(201);
    expect(created.body.events).toEqual(['site.published']);
    for (const path of [`/webhooks/${siteId}`, `/orgs/c/webhooks/${siteId}`]) {
      const over = await t.call('POST', path, { key, body: { url: 'http://127.0.0.1:9/h' } });
      expect(over.status).toBe(403);
      expect(over.body.error).toMatch(/INVOKER_MAX_WEBHOOKS/);
    }
    expect((await t.call('POST', `/webhooks/${siteId}`, { key, body: { url: 'http://127.0.0.1:9/h', events: ['nope'] } })).status).toBe(400);
    for (const [method, path] of [
      ['GET', `/webhooks/${siteId}`],
      ['POST', `/webhooks/${siteId}`],
      ['GET', `/webhooks/${siteId}/${created.body.id}/deliveries`],
      ['DELETE', `/webhooks/${siteId}/${created.body.id}`],
    ] as const) {
      const res = await t.call(method, path, { key: stranger.key, body: method === 'POST' ? { url: 'http://127.0.0.1:9/h' } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await t.call('GET', `/webhooks/${siteId}/whk_0000000000000000/deliveries`, { key })).status).toBe(404);
    expect((await t.call('POST', `/deploy/${siteId}/publish`, { key, body: {} })).status).toBe(200);
    expect((await t.call('DELETE', `/webhooks/${siteId}/${created.body.id}`, { key })).status).toBe(204);
    expect((await t.call('DELETE', `/webhooks/${siteId}/${created.body.id}`, { key })).status).toBe(404);
    expect(await t.store.pendingDeliveries()).toBe(0);
    expect((await t.call('GET', `/webhooks/${siteId}`, { key })).body).toEqual({ webhooks: [] });
  });
});

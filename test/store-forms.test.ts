// The store's forms operations (SPEC section 13) on both backends: webhooks and the outbox written
// with its event, leases (PostgreSQL: two claimers never share a delivery), attempts, form settings,
// notification batches claimed once, uploads within the site's room, retention that deletes exactly
// the expired submissions and their files, and proof-of-work challenges spent once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../packages/invoker-mcp/src/contract/ids.js';
import { AppError } from '../packages/invoker-mcp/src/errors.js';
import { PostgresStore } from '../packages/platform/src/store/postgres.js';
import { SqliteStore } from '../packages/platform/src/store/sqlite.js';
import type { OutboxEvent, Store } from '../packages/platform/src/store/store.js';
import { createTestDatabase } from './helpers/postgres.js';

const backends = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'invoker-forms-'));
      const store = new SqliteStore(join(dir, 'invoker.db'));
      return { store: store as Store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const db = await createTestDatabase();
      const store = await PostgresStore.open(db.url);
      return { store: store as Store, cleanup: async () => (await store.close(), await db.drop()) };
    },
  },
];

let clock = Date.parse('2026-03-01T00:00:00.000Z');
const tick = () => new Date((clock += 1000)).toISOString();
let n = 0;
const uniq = (p: string) => `${p}-${++n}-${Math.random().toString(36).slice(2, 7)}`;

const event = (type: OutboxEvent['type'] = 'submission.created'): OutboxEvent => ({
  type,
  body: (site) => JSON.stringify({ type, data: { deployment_id: site.id, slug: site.slug } }),
  newId: () => newId('msg'),
});

describe.each(backends)('store forms: $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => cleanup?.());

  async function site() {
    const { org } = await store.ensureUser(`${uniq('u')}@example.com`, tick());
    const s = await store.deploy({
      orgId: org.id,
      newSiteId: newId('dep'),
      slug: uniq('s'),
      metadata: { title: null, description: null, favicon: null, isSpa: false },
      previewToken: uniq('pt'),
      files: [{ path: '/index.html', contentType: 'text/html', etag: '"e"', body: new TextEncoder().encode('<p>x</p>') }],
      publish: false,
      maxSites: 100,
      now: tick(),
    });
    return { orgId: org.id, siteId: s.id, slug: s.slug };
  }

  const hook = (orgId: string, siteId: string, events: OutboxEvent['type'][] = ['submission.created']) =>
    store.createWebhook({ id: newId('whk'), orgId, siteId, url: 'https://example.com/h', type: 'generic', events, secretSealed: 'sealed', maxPerSite: 2, now: tick() });

  it('creates, lists and deletes webhooks within the org and the per-site limit', async () => {
    const { orgId, siteId } = await site();
    const other = await site();
    const a = await hook(orgId, siteId);
    expect(a).toMatchObject({ siteId, url: 'https://example.com/h', type: 'generic', events: ['submission.created'] });
    expect(await hook(other.orgId, siteId)).toBeNull();
    await hook(orgId, siteId, ['site.deleted']);
    expect(await hook(orgId, siteId)).toBe('limit');
    expect((await store.listWebhooks(orgId, siteId))?.map((w) => w.events)).toEqual([['submission.created'], ['site.deleted']]);
    expect(await store.listWebhooks(other.orgId, siteId)).toBeNull();
    expect(await store.deleteWebhook(other.orgId, siteId, (a as { id: string }).id)).toBe(false);
    expect(await store.deleteWebhook(orgId, siteId, (a as { id: string }).id)).toBe(true);
    expect(await store.listWebhooks(orgId, siteId)).toHaveLength(1);
  });

  it('writes the outbox with the event, to listening webhooks only; site.deleted outlives its site', async () => {
    const { orgId, siteId } = await site();
    const w = (await hook(orgId, siteId)) as { id: string };
    await hook(orgId, siteId, ['site.deleted']);
    expect(await store.addSubmission({ id: newId('sub'), siteId, data: { a: '1' }, ipAddress: null, now: tick(), event: event() })).toBe(1);
    const list = await store.listDeliveries(orgId, siteId, w.id, 10);
    expect(list).toHaveLength(1);
    expect(list![0]).toMatchObject({ webhookId: w.id, eventType: 'submission.created', status: 'pending', attempts: 0, attemptList: [] });
    expect(JSON.parse(list![0]!.body).data.deployment_id).toBe(siteId);
    // A submission refused by the store (site gone) writes no delivery either: one transaction.
    expect(await store.deleteSite(orgId, siteId, { event: event('site.deleted'), now: tick() })).toBe(true);
    const claimed = await store.claimDeliveries({ now: '9999-01-01T00:00:00.000Z', leaseUntil: '9999-01-01T00:01:00.000Z', token: 't', limit: 100 });
    expect(claimed.filter((d) => d.siteId === siteId).map((d) => d.eventType).sort()).toEqual(['site.deleted', 'submission.created']);
    for (const d of claimed) {
      await store.finishAttempts([{ deliveryId: d.id, leaseToken: 't', status: 'delivered', nextAttemptAt: tick(), finishedAt: tick(), attempt: { deliveryId: d.id, attempt: 1, startedAt: tick(), statusCode: 200, durationMs: 3, error: null, excerpt: 'ok' } }]);
    }
  });

  it('queues nothing for a submission whose site has no webhook, or only webhooks of other events', async () => {
    const bare = await site();
    expect(await store.addSubmission({ id: newId('sub'), siteId: bare.siteId, data: { a: '1' }, ipAddress: null, now: tick(), event: event() })).toBe(0);
    const other = await site();
    const w = (await hook(other.orgId, other.siteId, ['site.deleted'])) as { id: string };
    expect(await store.addSubmission({ id: newId('sub'), siteId: other.siteId, data: { a: '1' }, ipAddress: null, now: tick(), event: event() })).toBe(0);
    expect(await store.listDeliveries(other.orgId, other.siteId, w.id, 10)).toEqual([]);
    // The submissions themselves are stored and numbered all the same.
    expect((await store.listSubmissions(other.orgId, other.siteId, { page: 1, limit: 10 }))?.total).toBe(1);
  });

  it('leases a delivery to one claimer; records an attempt only under the lease; retries when due', async () => {
    const { orgId, siteId } = await site();
    const w = (await hook(orgId, siteId)) as { id: string };
    await store.addSubmission({ id: newId('sub'), siteId, data: {}, ipAddress: null, now: tick(), event: event() });
    const now = '9999-02-01T00:00:00.000Z';
    const lease = '9999-02-01T00:00:10.000Z';
    const [x, y] = await Promise.all([
      store.claimDeliveries({ now, leaseUntil: lease, token: 'x', limit: 100 }),
      store.claimDeliveries({ now, leaseUntil: lease, token: 'y', limit: 100 }),
    ]);
    const mine = [...x, ...y].filter((d) => d.webhookId === w.id);
    expect(mine).toHaveLength(1);
    const d = mine[0]!;
    const holder = x.includes(d) ? 'x' : 'y';
    const outcome = (token: string) => ({
      deliveryId: d.id,
      leaseToken: token,
      status: 'pending' as const,
      nextAttemptAt: '9999-02-01T00:00:05.000Z',
      finishedAt: null,
      attempt: { deliveryId: d.id, attempt: 1, startedAt: now, statusCode: 500, durationMs: 12, error: null, excerpt: 'no' },
    });
    // In one batch: the stranger's outcome is refused, the holder's recorded.
    expect(await store.finishAttempts([outcome(holder === 'x' ? 'y' : 'x'), outcome(holder)])).toEqual([false, true]);
    // Not due yet, then due: claimed again with its attempt count.
    expect((await store.claimDeliveries({ now, leaseUntil: lease, token: 'z', limit: 100 })).some((e) => e.id === d.id)).toBe(false);
    const again = await store.claimDeliveries({ now: '9999-02-01T00:00:06.000Z', leaseUntil: '9999-02-01T00:00:20.000Z', token: 'z', limit: 100 });
    expect(again.find((e) => e.id === d.id)?.attempts).toBe(1);
    // A lease that lapsed (its worker died) is taken by the next claimer.
    const later = await store.claimDeliveries({ now: '9999-02-01T00:00:21.000Z', leaseUntil: '9999-02-01T00:00:30.000Z', token: 'w', limit: 100 });
    expect(later.some((e) => e.id === d.id)).toBe(true);
    const listed = await store.listDeliveries(orgId, siteId, w.id, 10);
    expect(listed![0]!.attemptList).toEqual([{ deliveryId: d.id, attempt: 1, startedAt: now, statusCode: 500, durationMs: 12, error: null, excerpt: 'no' }]);
    expect(await store.recentAttempts(w.id, 5)).toHaveLength(1);
    await store.releaseDeliveryLeases();
    expect(await store.deleteWebhook(orgId, siteId, w.id)).toBe(true);
    expect((await store.claimDeliveries({ now: '9999-03-01T00:00:00.000Z', leaseUntil: '9999-03-01T00:01:00.000Z', token: 'v', limit: 100 })).some((e) => e.id === d.id)).toBe(false);
  });

  it('keeps form settings and claims each notification batch once', async () => {
    const { orgId, siteId, slug } = await site();
    expect(await store.getFormSettings(siteId)).toMatchObject({ notify: false, acceptUploads: false, formProtection: 'none', retentionDays: null });
    await store.addSubmission({ id: newId('sub'), siteId, data: { old: '1' }, ipAddress: null, now: tick() });
    const saved = await store.saveFormSettings(orgId, siteId, { notify: true, acceptUploads: true, formProtection: 'pow', retentionDays: 30 }, tick());
    expect(saved).toMatchObject({ notify: true, acceptUploads: true, formProtection: 'pow', retentionDays: 30 });
    expect(await store.saveFormSettings((await site()).orgId, siteId, { notify: false, acceptUploads: false, formProtection: 'none', retentionDays: null }, tick())).toBeNull();
    // Turning notify on mails nothing of the past.
    expect((await store.claimNotifyBatches('9999-01-01T00:00:00.000Z', tick())).filter((b) => b.siteId === siteId)).toEqual([]);
    for (let i = 0; i < 3; i++) await store.addSubmission({ id: newId('sub'), siteId, data: { i: String(i) }, ipAddress: null, now: tick() });
    expect(await store.addNotifyRecipient(siteId, 'extra@example.com', 'hash-1', tick())).toBe(true);
    expect(await store.addNotifyRecipient(siteId, 'extra@example.com', 'hash-2', tick())).toBe(false);
    expect(await store.findNotifyRecipient('hash-1')).toEqual({ siteId, email: 'extra@example.com', confirmed: false });
    const now = tick();
    const [a, b] = await Promise.all([store.claimNotifyBatches(now, now), store.claimNotifyBatches(now, now)]);
    const batches = [...a, ...b].filter((x) => x.siteId === siteId);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ slug, orgId, recipients: [], toSeq: batches[0]!.fromSeq + 3 });
    expect((await store.submissionsBetween(siteId, batches[0]!.fromSeq, batches[0]!.toSeq, 20)).map((s) => s.data)).toEqual([{ i: '0' }, { i: '1' }, { i: '2' }]);
    // Within the interval: nothing, even with a new submission.
    await store.addSubmission({ id: newId('sub'), siteId, data: {}, ipAddress: null, now: tick() });
    expect((await store.claimNotifyBatches(new Date(Date.parse(now) - 1).toISOString(), tick())).filter((x) => x.siteId === siteId)).toEqual([]);
    expect(await store.confirmNotifyRecipient('hash-1', tick())).toEqual({ siteId, email: 'extra@example.com' });
    expect(await store.confirmNotifyRecipient('hash-1', tick())).toBeNull();
    const next = await store.claimNotifyBatches('9999-01-01T00:00:00.000Z', tick());
    expect(next.find((x) => x.siteId === siteId)?.recipients).toEqual(['extra@example.com']);
  });

  it('stores uploads byte-exact within the site\'s room, and refuses past it with nothing stored', async () => {
    const { orgId, siteId } = await site();
    const bytes = new Uint8Array([0, 255, 1, 254, 10, 13]);
    const subId = newId('sub');
    const fileId = newId('fil');
    await store.addSubmission({ id: subId, siteId, data: { cv: { file_id: fileId } }, ipAddress: null, now: tick(), files: [{ id: fileId, field: 'cv', filename: 'cv.bin', contentType: 'application/octet-stream', body: bytes }], maxSiteUploadBytes: 10 });
    const file = await store.getUpload(orgId, siteId, subId, fileId);
    expect(file && Buffer.from(file.body).equals(Buffer.from(bytes))).toBe(true);
    expect(file).toMatchObject({ filename: 'cv.bin', size: 6, field: 'cv' });
    expect(await store.getUpload((await site()).orgId, siteId, subId, fileId)).toBeNull();
    const refused = await store
      .addSubmission({ id: newId('sub'), siteId, data: {}, ipAddress: null, now: tick(), files: [{ id: newId('fil'), field: 'cv', filename: 'b', contentType: 'x/y', body: bytes }], maxSiteUploadBytes: 10 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('too_large');
    expect(await store.uploadedBytes(siteId)).toBe(6);
    expect((await store.listSubmissions(orgId, siteId, { page: 1, limit: 50 }))?.total).toBe(1);
  });

  it('retention deletes exactly the expired submissions and their files; pages stay exact', async () => {
    const { orgId, siteId } = await site();
    const ids: string[] = [];
    const fileIds: string[] = [];
    const stamps = ['2026-01-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z', '2026-01-09T23:59:59.999Z', '2026-01-10T00:00:00.000Z', '2026-01-20T00:00:00.000Z'];
    for (const now of stamps) {
      const id = newId('sub');
      const fileId = newId('fil');
      ids.push(id);
      fileIds.push(fileId);
      await store.addSubmission({ id, siteId, data: { at: now }, ipAddress: null, now, files: [{ id: fileId, field: 'f', filename: 'f', contentType: 'x/y', body: new Uint8Array([1]) }], maxSiteUploadBytes: 1000 });
    }
    await store.saveFormSettings(orgId, siteId, { notify: false, acceptUploads: true, formProtection: 'none', retentionDays: 10 }, tick());
    expect((await store.sitesWithRetention()).find((r) => r.siteId === siteId)).toEqual({ siteId, retentionDays: 10 });
    expect(await store.deleteExpiredSubmissions(siteId, '2026-01-10T00:00:00.000Z')).toBe(3);
    const left = await store.listSubmissions(orgId, siteId, { page: 1, limit: 50 });
    expect(left?.total).toBe(2);
    expect(left?.items.map((s) => s.id)).toEqual([ids[4], ids[3]]);
    for (const [i, fileId] of fileIds.entries()) expect((await store.getUpload(orgId, siteId, ids[i]!, fileId)) !== null).toBe(i >= 3);
    expect(await store.uploadedBytes(siteId)).toBe(2);
    expect((await store.getSite(orgId, siteId))?.submissionCount).toBe(2);
    expect(await store.deleteExpiredSubmissions(siteId, '2026-01-10T00:00:00.000Z')).toBe(0);
  });

  it('spends a proof-of-work challenge once, and forgets it when it expires', async () => {
    const challenge = uniq('c');
    expect(await store.spendPow(challenge, '2026-06-01T00:00:00.000Z')).toBe(true);
    expect(await store.spendPow(challenge, '2026-06-01T00:00:00.000Z')).toBe(false);
    expect(await store.deletePowSpentBefore('2026-06-01T00:00:00.001Z')).toBeGreaterThanOrEqual(1);
    expect(await store.spendPow(challenge, '2026-06-02T00:00:00.000Z')).toBe(true);
  });
});

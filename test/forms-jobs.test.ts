// The forms jobs in process, on both backends, with the clock moved instead of waited for: retention
// deletes exactly the submissions (and uploaded files) older than the site's retention_days and
// nothing of a site without it; the jobs runner delivers the outbox and stops cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import { retentionJob } from '../packages/platform/src/services/retention.js';
import { startJobs } from '../packages/platform/src/services/jobs.js';
import { createTenant, openTestApp, type OpenedTestApp } from './helpers/app.js';
import { startReceiver } from './helpers/webhook-receiver.js';

const quiet = { info() {}, warn() {}, error() {} };
const DAY = 24 * 3600 * 1000;

describe.each(['sqlite', 'postgres'] as const)('forms jobs (%s)', (backend) => {
  let t: OpenedTestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('retention deletes exactly the expired submissions and their files, on the sites that ask for it', async () => {
    t = await openTestApp(backend, { submissionLimit: 1000 });
    const { key } = await createTenant(t, 'retention@example.com');
    const kept = (await t.call('POST', '/deploy', { key, body: { html: '<p>a</p>' } })).body.id as string;
    const pruned = (await t.call('POST', '/deploy', { key, body: { html: '<p>b</p>' } })).body.id as string;
    expect((await t.call('PATCH', `/deploy/${pruned}/forms`, { key, body: { retention_days: 3, accept_uploads: true } })).status).toBe(200);
    const start = Date.parse('2026-05-01T12:00:00.000Z');
    const ids: string[] = [];
    for (let day = 0; day < 6; day++) {
      t.deps.now = () => new Date(start + day * DAY);
      for (const siteId of [kept, pruned]) {
        const form = new FormData();
        form.set('day', String(day));
        form.set('file', new File([new Uint8Array([day, 255 - day])], `day-${day}.bin`));
        const res = await t.app.request(`/submit/${siteId}`, { method: 'POST', body: form, headers: { host: 'localhost:8787', accept: 'application/json' } }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
        expect(res.status).toBe(200);
        if (siteId === pruned) ids.push(((await res.json()) as { id: string }).id);
      }
    }
    // Day 5, 12:00: three days back is day 2, 12:00; days 0 and 1 are older, day 2 is exactly at the cutoff and stays.
    t.deps.now = () => new Date(start + 5 * DAY);
    expect(await retentionJob(t.deps).run()).toBe(2);
    const left = (await t.call('GET', `/submissions/${pruned}`, { key })).body;
    expect(left.total).toBe(4);
    expect(left.submissions.map((s: any) => s.data.day)).toEqual(['5', '4', '3', '2']);
    const file = left.submissions[3].data.file;
    const download = await t.call('GET', `/submissions/${pruned}/${ids[2]}/files/${file.file_id}`, { key });
    expect(download.status).toBe(200);
    expect(await t.store.uploadedBytes(pruned)).toBe(8);
    expect((await t.call('GET', `/submissions/${kept}`, { key })).body.total).toBe(6);
    expect(await retentionJob(t.deps).run()).toBe(0);
  });

  it('runs the delivery worker in the background, at once when woken, and stops without cutting a round short', async () => {
    t = await openTestApp(backend, { allowPrivateFetch: true });
    const receiver = await startReceiver(() => 200);
    try {
      const { key } = await createTenant(t, 'jobs@example.com');
      const siteId = (await t.call('POST', '/deploy', { key, body: { html: '<p>a</p>' } })).body.id as string;
      await t.call('POST', `/webhooks/${siteId}`, { key, body: { url: receiver.url } });
      t.deps.forms = { jobsIntervalMs: 60_000 };
      const jobs = await startJobs(t.deps, { mailer: { sendLoginCode: async () => {} } }, quiet);
      t.deps.outboxWritten = jobs.wake;
      const started = Date.now();
      await t.call('POST', `/submit/${siteId}`, { body: { a: '1' } });
      await receiver.waitFor((r) => r.length === 1, 5000);
      // Woken by the write: long before the 60 s interval.
      expect(Date.now() - started).toBeLessThan(5000);
      await jobs.stop();
      expect(await t.store.pendingDeliveries()).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});

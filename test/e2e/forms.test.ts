// Forms people rely on, end to end against a real `serve` on each backend: notification mail at a
// real SMTP capture (batched: 20 submissions within the interval make at most 2 mails; an extra
// address gets nothing until it confirms, and opening its link confirms nothing), uploads that
// round-trip byte-exact to the owner only and are never served on a site host (an oversize file
// is 413 with nothing stored), and the settings routes' answers.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, connectMcp, createKey, httpRequest, resultText, startPlatform, type Backend, type Platform } from '../helpers/platform.js';
import { keyedCall } from '../helpers/keyed-call.js';
import { startMailCatcher, type CapturedMail, type MailCatcher } from '../helpers/smtp.js';

const text = (mail: CapturedMail) => mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

describe.each(BACKENDS)('form notifications and uploads (%s)', (backend: Backend) => {
  let platform: Platform;
  let mail: MailCatcher;
  let key: string;
  const api = (method: string, path: string, body?: unknown) => keyedCall(platform.port, key, method, path, body);
  const deploySite = async (slug: string) => (await api('POST', '/deploy', { html: '<form action="{{SUBMIT_URL}}"></form>', slug })).json.id as string;

  beforeAll(async () => {
    mail = await startMailCatcher();
    platform = await startPlatform({
      backend,
      env: {
        INVOKER_SMTP_URL: mail.url,
        INVOKER_NOTIFY_INTERVAL_SECONDS: '4',
        INVOKER_JOBS_INTERVAL_MS: '100',
        INVOKER_SUBMISSIONS_PER_MINUTE: '1000',
        INVOKER_MAX_UPLOAD_MB: '1',
      },
    });
    key = await createKey(platform, 'owner@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
    await mail?.close();
  });

  it('mails submissions to the owner in batches, and to an extra address only once it confirmed', async () => {
    const siteId = await deploySite(`notify-${backend}`);
    const before = await api('GET', `/deploy/${siteId}/forms`);
    expect(before.json).toEqual({ notify: false, notify_emails: [], unconfirmed_emails: [], accept_uploads: false, form_protection: 'none', retention_days: null });
    const set = await api('PATCH', `/deploy/${siteId}/forms`, { notify: true, notify_emails: ['Team@Example.com'] });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ notify: true, notify_emails: ['team@example.com'], unconfirmed_emails: ['team@example.com'] });
    const confirmation = await mail.waitFor('team@example.com');
    const link = /(http:\/\/\S+\/forms\/confirm\?token=[\w-]+)/.exec(text(confirmation))?.[1];
    expect(link).toBeDefined();
    const path = new URL(link!).pathname + new URL(link!).search;
    // Opening the link (a mail scanner does) shows the button and confirms nothing.
    const page = await httpRequest(platform.port, { path });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<button type="submit">Confirm</button>');
    expect((await api('GET', `/deploy/${siteId}/forms`)).json.unconfirmed_emails).toEqual(['team@example.com']);

    // Before confirming: the team address gets nothing of these.
    const sendAll = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        const res = await httpRequest(platform.port, { method: 'POST', path: `/submit/${siteId}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `person-${i}@example.com` }) });
        expect(res.status).toBe(200);
      }
    };
    const mailsBefore = mail.mails.length;
    await sendAll(0, 20);
    await new Promise((r) => setTimeout(r, 5500));
    const toOwner = mail.mails.slice(mailsBefore).filter((m) => m.to.includes('owner@example.com'));
    expect(toOwner.length).toBeGreaterThanOrEqual(1);
    expect(toOwner.length).toBeLessThanOrEqual(2);
    const all = toOwner.map(text).join('\n');
    for (let i = 0; i < 20; i++) expect(all).toContain(`person-${i}@example.com`);
    expect(mail.mails.slice(mailsBefore).some((m) => m.to.includes('team@example.com'))).toBe(false);

    const token = new URL(link!).searchParams.get('token')!;
    const confirmed = await httpRequest(platform.port, { method: 'POST', path: '/forms/confirm', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toContain('Confirmed');
    expect((await httpRequest(platform.port, { path })).body).toContain('Already confirmed');
    expect((await api('GET', `/deploy/${siteId}/forms`)).json.unconfirmed_emails).toEqual([]);
    const after = mail.mails.length;
    await sendAll(100, 1);
    const teamMail = await mail.waitFor('team@example.com', after, 10_000);
    expect(text(teamMail)).toContain('person-100@example.com');

    for (const bad of [{ method: 'GET', path: '/forms/confirm?token=nope' }, { method: 'POST', path: '/forms/confirm', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=nope' }]) {
      expect((await httpRequest(platform.port, bad)).status).toBe(404);
    }
  }, 40_000);

  it('stores uploads, hands them byte-exact to the owner only, never on the site host; oversize is 413 with nothing stored', async () => {
    const slug = `uploads-${backend}`;
    const siteId = await deploySite(slug);
    expect((await api('PATCH', `/deploy/${siteId}/forms`, { accept_uploads: true, retention_days: 30 })).json).toMatchObject({ accept_uploads: true, retention_days: 30 });
    const bytes = randomBytes(300 * 1024);
    const form = new FormData();
    form.set('name', 'Ada');
    form.set('cv', new File([bytes], 'cv "final".pdf', { type: 'application/pdf' }));
    const posted = await fetch(`${platform.url}/submit/${siteId}`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
    expect(posted.status).toBe(200);
    const { id } = (await posted.json()) as { id: string };
    const listed = (await api('GET', `/submissions/${siteId}`)).json;
    const record = listed.submissions[0].data.cv;
    expect(record).toMatchObject({ filename: 'cv _final_.pdf', size: bytes.length, content_type: 'application/pdf' });
    expect(listed.submissions[0].data.name).toBe('Ada');

    const filePath = `/submissions/${siteId}/${id}/files/${record.file_id}`;
    // get_submissions names the download link (outside the untrusted frame: ids only).
    const mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: key });
    try {
      const read = await mcp.client.callTool({ name: 'get_submissions', arguments: { deployment_id: siteId } });
      expect(resultText(read)).toMatch(new RegExp(`</untrusted-data-[^>]+>\\nUploaded files \\(download with the API key, as attachments\\):\\n${platform.url}${filePath}$`));
    } finally {
      await mcp.close();
    }
    const download = await fetch(`${platform.url}${filePath}`, { headers: { authorization: `Bearer ${key}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="cv _final_.pdf"/);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(`${platform.url}${filePath}`)).status).toBe(401);
    const stranger = await createKey(platform, 'stranger@example.com');
    expect((await fetch(`${platform.url}${filePath}`, { headers: { authorization: `Bearer ${stranger}` } })).status).toBe(404);
    expect((await api('GET', `/submissions/${siteId}/${id}/files/fil_0000000000000000`)).status).toBe(404);
    // The site host serves the site's files only.
    for (const p of [filePath, `/files/${record.file_id}`, `/_files/${record.file_id}`]) {
      expect((await httpRequest(platform.port, { host: `${slug}.localhost:${platform.port}`, path: p, headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
    }

    const big = new FormData();
    big.set('cv', new File([randomBytes(1536 * 1024)], 'big.bin'));
    const refused = await fetch(`${platform.url}/submit/${siteId}`, { method: 'POST', body: big, headers: { accept: 'application/json' } });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: string }).error).toMatch(/limit for a form submission with a file/);
    expect((await api('GET', `/submissions/${siteId}`)).json.total).toBe(1);

    // A site without uploads keeps its 64 KB: the same file is refused there.
    const plain = await deploySite(`no-uploads-${backend}`);
    const again = new FormData();
    again.set('cv', new File([bytes], 'cv.pdf'));
    expect((await fetch(`${platform.url}/submit/${plain}`, { method: 'POST', body: again, headers: { accept: 'application/json' } })).status).toBe(413);
  });

  it('answers the settings routes: 400 for a bad body, 404 outside the org', async () => {
    const siteId = await deploySite(`settings-${backend}`);
    expect((await api('PATCH', `/deploy/${siteId}/forms`, { retention_days: 0 })).status).toBe(400);
    expect((await api('PATCH', `/deploy/${siteId}/forms`, { form_protection: 'captcha' })).status).toBe(400);
    expect((await api('PATCH', `/deploy/${siteId}/forms`, { notify_emails: ['not an address'] })).status).toBe(400);
    expect((await api('GET', '/deploy/dep_0000000000000000/forms')).status).toBe(404);
    expect((await api('PATCH', '/deploy/dep_0000000000000000/forms', { notify: true })).status).toBe(404);
    expect((await api('PATCH', `/deploy/${siteId}/forms`, { retention_days: null })).json.retention_days).toBeNull();
  });
});

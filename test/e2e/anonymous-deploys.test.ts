// Anonymous deploys (SPEC section 14) on the wire, on both store backends: off by default; on, a
// deploy with no Authorization header is a live site with a claim token, at most 3 per address an
// hour and 5 MB; a claim with a key moves it into that key's org once; past its expiry it answers 404
// at once, and the job then deletes it. Every answer is checked against the OpenAPI document too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../helpers/api-server.js';
import { BACKENDS, httpRequest, type Backend } from '../helpers/platform.js';

const ON = { INVOKER_ANONYMOUS_DEPLOYS: '1' };
const page = (title: string) => `<!doctype html><title>${title}</title><h1>${title}</h1><form method="post" action="{{SUBMIT_URL}}"><input name="email"></form>`;

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(BACKENDS)('anonymous deploys on %s', (backend: Backend) => {
  let api: ApiServer;
  let owner: { key: string; orgId: string };
  const live = (slug: string, path = '/') => httpRequest(api.port, { host: `${slug}.localhost:${api.port}`, path });

  beforeAll(async () => {
    api = await startApiServer(ON, backend);
    owner = await api.tenant(`owner-${backend}@example.com`);
  });
  afterAll(async () => api?.stop());

  it('are off unless the operator turns them on: without a key, POST /deploy is a 401', async () => {
    const off = await startApiServer({}, backend);
    try {
      const refused = await off.call('POST', '/deploy', { json: { html: page('Off') } });
      expect([refused.status, refused.json.code]).toEqual([401, 'unauthenticated']);
    } finally {
      await off.stop();
    }
  });

  it('make a live site with a claim token, a claim URL on the dashboard origin and an expiry a day away', async () => {
    const before = Date.now();
    const deployed = await api.call('POST', '/deploy', { json: { html: page('Anonymous'), publish: false }, ip: '203.0.113.10' });
    expect(deployed.status).toBe(201);
    expect(deployed.json).toMatchObject({ status: 'live', version: 1, live_version: 1, title: 'Anonymous' });
    expect(deployed.json.claim_token).toMatch(/^clm_[A-Za-z0-9_-]{43}$/);
    const claimUrl = new URL(deployed.json.claim_url);
    expect(claimUrl.origin).toBe(`http://localhost:${api.port}`);
    expect(claimUrl.pathname).toBe(`/dashboard/claim/${deployed.json.id}`);
    expect(claimUrl.searchParams.get('token')).toBe(deployed.json.claim_token);
    const ttl = Date.parse(deployed.json.expires_at) - before;
    expect(ttl).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000 + 60_000);

    const served = await live(deployed.json.slug);
    expect(served.status).toBe(200);
    expect(served.body).toContain('<h1>Anonymous</h1>');
    // Forms capture as on any site.
    const submitted = await api.call('POST', `/submit/${deployed.json.id}`, { json: { email: 'visitor@example.com' } });
    expect(submitted.status).toBe(200);
    // Only the hash of the token is stored.
    const claim = await api.server.store.findAnonymousClaim(deployed.json.id);
    expect(claim?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(claim)).not.toContain(deployed.json.claim_token);
  });

  it('a present but invalid key is still a 401, and a slug that is taken is a 409', async () => {
    const invalid = await api.call('POST', '/deploy', { json: { html: page('Bad key') }, headers: { authorization: 'Bearer inv_nope' }, ip: '203.0.113.11' });
    expect([invalid.status, invalid.json.code]).toEqual([401, 'unauthenticated']);
    await api.call('POST', '/deploy', { key: owner.key, json: { html: page('Mine'), slug: `mine-${backend}` } });
    const taken = await api.call('POST', '/deploy', { json: { html: page('Theirs'), slug: `mine-${backend}` }, ip: '203.0.113.11' });
    expect([taken.status, taken.json.code]).toEqual([409, 'conflict']);
    // Nor can one anonymous deploy add a version to another's site.
    const first = await api.call('POST', '/deploy', { json: { html: page('First'), slug: `anon-${backend}` }, ip: '203.0.113.11' });
    expect(first.status).toBe(201);
    const second = await api.call('POST', '/deploy', { json: { html: page('Second'), slug: `anon-${backend}` }, ip: '203.0.113.12' });
    expect([second.status, second.json.code]).toEqual([409, 'conflict']);
    expect((await live(`anon-${backend}`)).body).toContain('First');
  });

  it('take 3 deploys per address an hour: the 4th is a 429 with Retry-After', async () => {
    const ip = '203.0.113.20';
    for (let i = 0; i < 3; i++) expect((await api.call('POST', '/deploy', { json: { html: page(`n${i}`) }, ip })).status).toBe(201);
    const fourth = await api.call('POST', '/deploy', { json: { html: page('n3') }, ip });
    expect([fourth.status, fourth.json.code]).toEqual([429, 'rate_limited']);
    expect(fourth.json.error).toMatch(/3 an hour/);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    // Another address still may.
    expect((await api.call('POST', '/deploy', { json: { html: page('other') }, ip: '203.0.113.21' })).status).toBe(201);
  });

  it('take 5 MB at most, refused before the body is read', async () => {
    const big = JSON.stringify({ html: `<p>${'x'.repeat(5 * 1024 * 1024)}</p>` });
    const refused = await api.call('POST', '/deploy', { raw: big, ip: '203.0.113.30' });
    expect([refused.status, refused.json.code]).toEqual([413, 'too_large']);
    expect(refused.json.error).toMatch(/5 MB.*without a key/);
  });

  for (const prefix of ['', '/orgs/c']) {
    it(`a claim at ${prefix}/deploy/{id}/claim moves the site into the key's org once; wrong tokens and unknown sites are refused`, async () => {
      const deployed = (await api.call('POST', '/deploy', { json: { html: page('Keep me') }, ip: `203.0.113.${prefix ? 41 : 40}` })).json;
      const claim = (id: string, body: unknown) => api.call('POST', `${prefix}/deploy/${id}/claim`, { key: owner.key, json: body });

      expect((await api.call('GET', `/deploy/${deployed.id}`, { key: owner.key })).status).toBe(404);
      const bad = await claim(deployed.id, { token: deployed.claim_token });
      expect([bad.status, bad.json.code]).toEqual([400, 'invalid_input']);
      const wrong = await claim(deployed.id, { claim_token: 'clm_not-this-one' });
      expect([wrong.status, wrong.json.code]).toEqual([403, 'forbidden']);
      const unknown = await claim('dep_0000000000000000', { claim_token: deployed.claim_token });
      expect([unknown.status, unknown.json.code]).toEqual([404, 'not_found']);

      const kept = await claim(deployed.id, { claim_token: deployed.claim_token });
      expect(kept.status).toBe(200);
      expect(kept.json).toMatchObject({ id: deployed.id, slug: deployed.slug, status: 'live' });
      expect(kept.json).not.toHaveProperty('expires_at');
      expect((await api.call('GET', `/deploy/${deployed.id}`, { key: owner.key })).json).toMatchObject({ id: deployed.id, slug: deployed.slug });
      const listed = (await api.call('GET', '/deploys', { key: owner.key })).json.deploys.map((d: { id: string }) => d.id);
      expect(listed).toContain(deployed.id);
      const again = await claim(deployed.id, { claim_token: deployed.claim_token });
      expect([again.status, again.json.code]).toEqual([409, 'conflict']);
      expect(again.json.error).toMatch(/claimed already/);
      expect((await api.server.store.findAnonymousClaim(deployed.id))?.expiresAt).toBeNull();
      // The owner may now do with it what owners do.
      const updated = await api.call('PUT', `/deploy/${deployed.id}`, { key: owner.key, json: { html: page('Kept') } });
      expect(updated.json.version).toBe(2);
    });
  }

  it('of claims at the same moment from two orgs, exactly one wins; the others are 409s', async () => {
    const other = await api.tenant(`racer-${backend}@example.com`);
    const deployed = (await api.call('POST', '/deploy', { json: { html: page('Raced') }, ip: '203.0.113.50' })).json;
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api.call('POST', `/deploy/${deployed.id}/claim`, { key: i % 2 ? other.key : owner.key, json: { claim_token: deployed.claim_token } })),
    );
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = claims.findIndex((c) => c.status === 200);
    const winnerKey = winner % 2 ? other.key : owner.key;
    const loserKey = winner % 2 ? owner.key : other.key;
    expect((await api.call('GET', `/deploy/${deployed.id}`, { key: winnerKey })).status).toBe(200);
    expect((await api.call('GET', `/deploy/${deployed.id}`, { key: loserKey })).status).toBe(404);
  });

  it('a site that is not anonymous cannot be claimed', async () => {
    const mine = (await api.call('POST', '/deploy', { key: owner.key, json: { html: page('Keyed') } })).json;
    const other = await api.tenant(`other-${backend}@example.com`);
    const refused = await api.call('POST', `/deploy/${mine.id}/claim`, { key: other.key, json: { claim_token: 'clm_x' } });
    expect([refused.status, refused.json.code]).toEqual([404, 'not_found']);
  });

  describe('past their expiry', () => {
    let short: ApiServer;
    let key: string;
    beforeAll(async () => {
      short = await startApiServer({ ...ON, INVOKER_ANONYMOUS_TTL_SECONDS: '1', INVOKER_JOBS_INTERVAL_MS: '50' }, backend);
      ({ key } = await short.tenant(`late-${backend}@example.com`));
    });
    afterAll(async () => short?.stop());

    it('answer 404 at once, before the job runs; then the job deletes them, and the slug is free', async () => {
      // The job waits until the test lets it go: what answers meanwhile is the expiry itself.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      short.hooks.set('deleteExpiredSites', () => held);
      const slug = `brief-${backend}`;
      const deployed = (await short.call('POST', '/deploy', { json: { html: page('Brief'), slug } })).json;
      const host = (path = '/') => httpRequest(short.port, { host: `${slug}.localhost:${short.port}`, path });
      expect((await host()).status).toBe(200);
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(deployed.expires_at) - Date.now()) + 50));

      expect((await host()).status).toBe(404);
      expect((await httpRequest(short.port, { path: `/s/${slug}/` })).status).toBe(404);
      const submitted = await short.call('POST', `/submit/${deployed.id}`, { json: { email: 'late@example.com' } });
      expect(submitted.status).toBe(404);
      const claim = await short.call('POST', `/deploy/${deployed.id}/claim`, { key, json: { claim_token: deployed.claim_token } });
      expect([claim.status, claim.json.code]).toEqual([404, 'not_found']);
      expect(await short.server.store.findSiteById(deployed.id)).not.toBeNull();

      short.hooks.delete('deleteExpiredSites');
      release();
      await waitFor('the job to delete the expired site', async () => (await short.server.store.findSiteById(deployed.id)) === null);
      expect(await short.server.store.findAnonymousClaim(deployed.id)).toBeNull();
      const reused = await short.call('POST', '/deploy', { key, json: { html: page('Reused'), slug } });
      expect(reused.status).toBe(201);
    });

    it('free their slug for a deploy even before the job deletes them', async () => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      short.hooks.set('deleteExpiredSites', () => held);
      try {
        const slug = `gone-${backend}`;
        const deployed = (await short.call('POST', '/deploy', { json: { html: page('Gone'), slug } })).json;
        await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(deployed.expires_at) - Date.now()) + 50));
        const mine = await short.call('POST', '/deploy', { key, json: { html: page('Mine now'), slug } });
        expect(mine.status).toBe(201);
        expect(mine.json.id).not.toBe(deployed.id);
        const served = await httpRequest(short.port, { host: `${slug}.localhost:${short.port}`, path: '/' });
        expect([served.status, served.body.includes('Mine now')]).toEqual([200, true]);
        expect(await short.server.store.findSiteById(deployed.id)).toBeNull();
      } finally {
        short.hooks.delete('deleteExpiredSites');
        release();
      }
    });
  });
});

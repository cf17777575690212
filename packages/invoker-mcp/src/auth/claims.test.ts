import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpSend } from '../client/api-client.js';
import { claimKeptSites, claimsDir, keepClaim, keptClaims, type KeptClaim } from './claims.js';

const API = 'http://api.test';
const NOW = Date.parse('2026-12-02T10:00:00Z');
const LATER = '2026-12-03T10:00:00.000Z';

const claim = (id: string, extra: Partial<KeptClaim> = {}): KeptClaim => ({
  api_url: API,
  site_id: id,
  slug: id.replace('dep_', 's-'),
  url: `http://${id}.sites.test/`,
  claim_token: `clm_${id}`,
  expires_at: LATER,
  ...extra,
});

describe('kept claim tokens', () => {
  it('are one 0600 file each in a 0700 folder; expired and unreadable ones are dropped, other servers\' left alone', async () => {
    const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-claims-')), 'cfg');
    const file = await keepClaim(configDir, claim('dep_a'));
    await keepClaim(configDir, claim('dep_old', { expires_at: '2026-12-01T10:00:00.000Z' }));
    await keepClaim(configDir, claim('dep_elsewhere', { api_url: 'http://other.test' }));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(claimsDir(configDir))).mode & 0o777).toBe(0o700);
    expect((await keptClaims(configDir, API, NOW)).map((c) => c.site_id)).toEqual(['dep_a']);
    expect((await readdir(claimsDir(configDir))).sort()).toEqual(['dep_a.json', 'dep_elsewhere.json']);
    await expect(keepClaim(configDir, claim('../escape'))).rejects.toThrow();
  });

  it('are claimed after a login: kept and refused-for-good ones removed, ones that may still work kept for the next login', async () => {
    const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-claims-')), 'cfg');
    for (const id of ['dep_ok', 'dep_taken', 'dep_down']) await keepClaim(configDir, claim(id));
    const sent: Array<{ url: string; auth: string | undefined; body: unknown }> = [];
    const send: HttpSend = async (url, init) => {
      sent.push({ url, auth: init.headers.authorization, body: init.body ? JSON.parse(init.body) : undefined });
      if (url.includes('dep_down')) throw new Error('ECONNRESET');
      const [status, body] = url.includes('dep_ok')
        ? [200, { id: 'dep_ok', slug: 's-ok', url: 'http://s-ok.sites.test/' }]
        : [409, { error: 'This site was claimed already.', code: 'conflict' }];
      return { status, headers: {}, text: async () => JSON.stringify(body) };
    };
    const kept = await claimKeptSites({ configDir, apiUrl: API, apiKey: 'inv_key', userAgent: 'test', send, now: NOW });
    expect(kept).toEqual([{ id: 'dep_ok', slug: 's-ok', url: 'http://s-ok.sites.test/' }]);
    expect(sent.map((s) => s.url).sort()).toEqual(['dep_down', 'dep_ok', 'dep_taken'].map((id) => `${API}/orgs/c/deploy/${id}/claim`));
    expect(sent.every((s) => s.auth === 'Bearer inv_key')).toBe(true);
    expect(sent.find((s) => s.url.includes('dep_ok'))?.body).toEqual({ claim_token: 'clm_dep_ok' });
    expect(await readdir(claimsDir(configDir))).toEqual(['dep_down.json']);
  });
});

import { mkdtemp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpSend } from '../client/api-client.js';
import { writeCredentials } from './credentials.js';
import { describeLogout, logOut } from './logout.js';
import { claimPendingLogin, readPendingLogin } from './pending-login.js';

const KEY = 'inv_' + 'b'.repeat(38);

async function dir() {
  return join(await mkdtemp(join(tmpdir(), 'invoker-logout-')), 'cfg');
}

function server(status: number) {
  const seen: Array<{ url: string; auth: string | undefined }> = [];
  const send: HttpSend = async (url, init) => {
    seen.push({ url, auth: init.headers.authorization });
    return { status, headers: {}, text: async () => (status === 204 ? '' : JSON.stringify({ error: 'down', code: 'upstream' })) };
  };
  return { send, seen };
}

describe('logOut', () => {
  it('revokes the key at the server that issued it, then deletes the file', async () => {
    const configDir = await dir();
    await writeCredentials(configDir, { api_key: KEY, email: 'me@example.com', org_id: 'org_1', api_url: 'http://issuer.test', created_at: 'x' });
    const s = server(204);
    const result = await logOut({ apiUrl: 'http://other.test', envApiKey: undefined, configDir, noBrowser: true }, { userAgent: 't', send: s.send });
    expect(s.seen).toEqual([{ url: 'http://issuer.test/auth/logout', auth: `Bearer ${KEY}` }]);
    expect(result).toMatchObject({ removed: true, revocation: 'revoked', email: 'me@example.com' });
    await expect(stat(join(configDir, 'credentials.json'))).rejects.toThrow();
    expect(describeLogout(result)).toMatch(/^Logged out me@example.com: deleted .*credentials\.json\. The key was revoked/);
  });

  it('still deletes the file when the server is down, and says how to revoke the key', async () => {
    const configDir = await dir();
    await writeCredentials(configDir, { api_key: KEY, email: 'me@example.com', org_id: 'org_1', api_url: 'http://issuer.test', created_at: 'x' });
    const result = await logOut({ apiUrl: 'http://issuer.test', envApiKey: KEY, configDir, noBrowser: true }, { userAgent: 't', send: server(502).send });
    expect(result).toMatchObject({ removed: true, revocation: 'failed', envKeySet: true });
    expect(describeLogout(result)).toMatch(/could not be revoked.*keys revoke.*INVOKER_API_KEY is still set/s);
  });

  it('forgets a sign-in still pending in the browser, so it cannot log the person back in', async () => {
    const configDir = await dir();
    const pending = { api_url: 'http://issuer.test', session_id: 's', user_code: 'BCDF-GHJK', verification_url: 'u', interval: 3, started_at: 'x', expires_at: '2999-01-01T00:00:00Z', browser_opened: false };
    expect(await claimPendingLogin(configDir, pending, Date.now())).toEqual(pending);
    await logOut({ apiUrl: 'http://issuer.test', envApiKey: undefined, configDir, noBrowser: true }, { userAgent: 't', send: server(204).send });
    expect(await readPendingLogin(configDir, 'http://issuer.test', Date.now())).toBeNull();
    expect(await readdir(configDir)).toEqual([]);
  });

  it('deletes a corrupt file without trying the network', async () => {
    const configDir = await dir();
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'credentials.json'), 'garbage');
    const s = server(204);
    const result = await logOut({ apiUrl: 'http://issuer.test', envApiKey: undefined, configDir, noBrowser: true }, { userAgent: 't', send: s.send });
    expect(result).toMatchObject({ removed: true, revocation: 'not_attempted' });
    expect(s.seen).toEqual([]);
  });
});

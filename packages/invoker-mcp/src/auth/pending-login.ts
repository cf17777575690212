// A browser sign-in in progress, kept beside credentials.json so that it outlives the process that
// started it: MCP clients restart servers between calls (the MCP Inspector's CLI starts one per call),
// and the next process resumes polling and collects the key. One file per config dir and API URL
// (login-pending-{hash of the URL}.json), 0600 in the 0700 config dir like the credentials, written
// atomically; it holds the session secret until the sign-in ends and is ignored (and removed) once the
// session has expired. Processes that start a sign-in at the same moment end up sharing one: the first
// file written wins (createSecretFile), the others resume it.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { createSecretFile, writeSecretFile } from './credentials.js';

const PendingLoginSchema = z.object({
  api_url: z.string(),
  session_id: z.string().min(1),
  user_code: z.string(),
  verification_url: z.string(),
  interval: z.number().positive(),
  started_at: z.string(),
  expires_at: z.string(),
  browser_opened: z.boolean(),
});
export type PendingLogin = z.infer<typeof PendingLoginSchema>;

export function pendingLoginPath(configDir: string, apiUrl: string): string {
  return join(configDir, `login-pending-${createHash('sha256').update(apiUrl).digest('hex').slice(0, 12)}.json`);
}

const text = (pending: PendingLogin) => `${JSON.stringify(pending, null, 2)}\n`;

/** The sign-in in progress for this API URL, or null. A stale, corrupt or foreign file is removed: it is only a cache. */
export async function readPendingLogin(configDir: string, apiUrl: string, now: number): Promise<PendingLogin | null> {
  const file = pendingLoginPath(configDir, apiUrl);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: PendingLogin | null = null;
  try {
    parsed = PendingLoginSchema.parse(JSON.parse(raw));
  } catch {
    // Half a file cannot happen (atomic writes); anything else unreadable is worth nothing.
  }
  if (parsed && parsed.api_url === apiUrl && Date.parse(parsed.expires_at) > now) return parsed;
  await rm(file, { force: true });
  return null;
}

/** Records `pending` unless another process recorded a live sign-in first; returns the one in force. */
export async function claimPendingLogin(configDir: string, pending: PendingLogin, now: number): Promise<PendingLogin> {
  const file = pendingLoginPath(configDir, pending.api_url);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createSecretFile(file, text(pending))) return pending;
    // Someone else's: theirs if it is live, else readPendingLogin removed it and we try once more.
    const existing = await readPendingLogin(configDir, pending.api_url, now);
    if (existing) return existing;
  }
  return pending;
}

/** Rewrites the sign-in this process owns (after the browser was opened for it). */
export async function updatePendingLogin(configDir: string, pending: PendingLogin): Promise<void> {
  await writeSecretFile(pendingLoginPath(configDir, pending.api_url), text(pending));
}

/** Forgets the sign-in: only the given session's (another process may have started a new one since), or any (logout). */
export async function clearPendingLogin(configDir: string, apiUrl: string, sessionId?: string): Promise<void> {
  if (sessionId !== undefined) {
    const current = await readPendingLogin(configDir, apiUrl, Number.NEGATIVE_INFINITY);
    if (current?.session_id !== sessionId) return;
  }
  await rm(pendingLoginPath(configDir, apiUrl), { force: true });
}

// The server side of a login session (SPEC section 6), shared by the browser login for clients
// (routes/auth.ts) and the dashboard sign-in (dashboard/sign-in.ts): opening a session, mailing its
// one-time code, and checking the code a person types. The secrets exist only in these functions'
// answers and the mail; the store keeps their hashes (login-secrets.ts).
import { DEFAULT_LOGIN_SETTINGS, type LoginSettings } from '../config.js';
import { newId } from 'invoker-mcp/contract/ids.js';
import type { LoginSessionRecord, OrgRecord, Store, UserRecord } from '../store/store.js';
import { generateEmailCode, generateSessionSecret, generateUserCode, hashEmailCode, sameHash, sha256Hex } from './login-secrets.js';
import type { AppDeps } from './context.js';
import type { Mailer } from './mailer.js';

/** The sign-in settings in force: the browser login and the dashboard sign-in share them. */
export function loginSettings(deps: Pick<AppDeps, 'login'>): LoginSettings {
  return { ...DEFAULT_LOGIN_SETTINGS, ...deps.login };
}

/** "10 minutes": a session lifetime (INVOKER_LOGIN_TTL_MINUTES) for messages, pages and mail. */
export function describeTtl(settings: Pick<LoginSettings, 'ttlSeconds'>): string {
  const minutes = Math.round(settings.ttlSeconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/** A new pending session, with the session secret and the user code in the clear, once. */
export async function openLoginSession(
  store: Store,
  input: { clientName: string; now: Date; ttlMs: number },
): Promise<{ session: LoginSessionRecord; secret: string; userCode: string }> {
  const secret = generateSessionSecret();
  const userCode = generateUserCode();
  const session = await store.createLoginSession({
    id: newId('ses'),
    secretHash: sha256Hex(secret),
    userCodeHash: sha256Hex(userCode),
    clientName: input.clientName,
    now: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + input.ttlMs).toISOString(),
  });
  return { session, secret, userCode };
}

/** Mails a new 6-digit code for the session; it replaces any earlier one, and only its salted hash is kept. */
export async function mailLoginCode(
  store: Store,
  mailer: Mailer,
  input: { session: LoginSessionRecord; email: string; userCode: string; link: string },
): Promise<void> {
  const code = generateEmailCode();
  await store.setLoginSessionCode(input.session.id, input.email, hashEmailCode(input.session.id, code));
  const ttlSeconds = (Date.parse(input.session.expiresAt) - Date.parse(input.session.createdAt)) / 1000;
  await mailer.sendLoginCode({
    to: input.email,
    code,
    link: input.link,
    clientName: input.session.clientName,
    userCode: input.userCode,
    expiresIn: describeTtl({ ttlSeconds }),
  });
}

export type CodeCheck =
  | { outcome: 'verified'; user: UserRecord; org: OrgRecord }
  /** A wrong code, counted; the session goes on. */
  | { outcome: 'wrong'; triesLeft: number }
  /** That wrong code was the last allowed one (or the session is gone): start again. */
  | { outcome: 'ended' }
  /** Right code, but another request verified the session first. */
  | { outcome: 'used' };

/**
 * Checks a typed code against the session's (in constant time). A wrong one counts towards
 * maxAttempts; the right one verifies the session for the email's user, whose account and personal
 * org the first sign-in creates.
 */
export async function checkLoginCode(
  store: Store,
  input: { sessionId: string; email: string; codeHash: string; code: string; maxAttempts: number; now: string },
): Promise<CodeCheck> {
  if (!/^\d{6}$/.test(input.code) || !sameHash(input.codeHash, hashEmailCode(input.sessionId, input.code))) {
    const after = await store.recordLoginCodeFailure(input.sessionId, input.maxAttempts);
    if (!after || after.status === 'failed') return { outcome: 'ended' };
    return { outcome: 'wrong', triesLeft: input.maxAttempts - after.failedAttempts };
  }
  const { user, org } = await store.ensureUser(input.email, input.now);
  if (!(await store.verifyLoginSession(input.sessionId, user.id, org.id))) return { outcome: 'used' };
  return { outcome: 'verified', user, org };
}

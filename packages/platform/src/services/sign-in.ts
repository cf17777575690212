// Sign-in (SPEC section 6): login sessions, their emailed one-time codes and their limits, shared by
// the browser login for apps (server/routes/auth.ts: a device polls for its key) and the dashboard's
// own sign-in (server/dashboard/sign-in.ts). Session secrets, user codes and email codes exist in
// the clear only in these answers and the mail; the store keeps their hashes (login-secrets.ts).
// Each surface keeps its own per-minute budgets (the limiters are named by channel) and its words.
import { AppError } from 'invoker-mcp/errors.js';
import type { LoginPoll, LoginSession } from 'invoker-mcp/contract/login.js';
import { DEFAULT_LOGIN_SETTINGS, type LoginSettings } from '../config.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { LoginSessionRecord, OrgRecord, UserRecord } from '../store/store.js';
import { randomnessOf, type ServiceAdapters, type ServiceDeps } from './deps.js';
import { generateEmailCode, generateSessionSecret, generateUserCode, hashEmailCode, normaliseUserCode, sameHash, sha256Hex } from './login-secrets.js';
import { issueApiKey } from './keys.js';

export type SignInDeps = Pick<ServiceDeps, 'store' | 'urls' | 'now' | 'login' | 'random'>;

/** Which surface a person signs in on: the browser login for apps, or the dashboard. */
export type SignInChannel = 'login' | 'dashboard';

export const START_AGAIN = 'Start again from your app (call the login tool, or run `invoker-mcp login`).';

/** Finished sessions are kept a day (a late poll still learns what happened), then deleted. */
const KEEP_ENDED_MS = 24 * 3600_000;

/** A pending sign-in, as a surface needs it to show the next step. */
export interface SignInTicket {
  sessionId: string;
  /** As typed on the browser login's pages; empty for a ticket found by its secret (the dashboard). */
  userCode: string;
  clientName: string;
  createdAt: string;
  /** The address the current code went to; null until one was sent. */
  email: string | null;
  /** Whether a code was mailed for it: checkCode() needs one. */
  codeSent: boolean;
}

export type SignInLookup =
  | { state: 'unknown' }
  /** failed: too many wrong codes; complete: verified already; expired: past its lifetime. */
  | { state: 'ended'; why: 'failed' | 'complete' | 'expired' }
  | { state: 'pending'; ticket: SignInTicket };

export type CodeCheck =
  | { outcome: 'verified'; user: UserRecord; org: OrgRecord }
  /** A wrong code, counted; the session goes on. */
  | { outcome: 'wrong'; triesLeft: number }
  /** That wrong code was the last allowed one (or the session is gone): start again. */
  | { outcome: 'ended' }
  /** Right code, but another request verified the session first. */
  | { outcome: 'used' };

/** "10 minutes": a session lifetime (INVOKER_LOGIN_TTL_MINUTES) for messages, pages and mail. */
export function describeTtl(settings: Pick<LoginSettings, 'ttlSeconds'>): string {
  const minutes = Math.round(settings.ttlSeconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/** The hash of each ticket's current code, kept beside the ticket so no surface ever holds it. */
const codeHashes = new WeakMap<SignInTicket, string>();

function ticketOf(session: LoginSessionRecord, userCode: string): SignInTicket {
  const codeSent = session.email !== null && session.codeHash !== null;
  const ticket: SignInTicket = { sessionId: session.id, userCode, clientName: session.clientName, createdAt: session.createdAt, email: session.email, codeSent };
  if (session.codeHash !== null) codeHashes.set(ticket, session.codeHash);
  return ticket;
}

export type SignInService = ReturnType<typeof signInService>;

export function signInService(deps: SignInDeps, adapters: ServiceAdapters) {
  const settings = (): LoginSettings => ({ ...DEFAULT_LOGIN_SETTINGS, ...deps.login });
  const clock = () => deps.now().getTime();
  const limiters = new Map<string, RateLimiter>();
  /** The per-minute budget `name` (created on first use, so a surface that never signs anyone in holds none). */
  const budget = (name: string, limit: (s: LoginSettings) => number): RateLimiter => {
    let limiter = limiters.get(name);
    if (!limiter) {
      limiter = adapters.rateLimiters({ name, limit: limit(settings()), windowMs: 60_000, now: clock });
      limiters.set(name, limiter);
    }
    return limiter;
  };
  const spend = async (limiter: RateLimiter, key: string): Promise<AppError | null> => {
    const decision = await limiter.hit(key);
    if (decision.allowed) return null;
    return new AppError('rate_limited', `Too many attempts. Wait ${decision.resetSeconds} seconds, then try again.`, {
      retryAfterSeconds: decision.resetSeconds,
    });
  };
  const isLive = (s: LoginSessionRecord) => Date.parse(s.expiresAt) > clock();
  const deviceLink = (userCode: string) => `${deps.urls.publicUrl}/auth/login?code=${encodeURIComponent(userCode)}`;
  const links: Record<SignInChannel, (userCode: string) => string> = {
    login: deviceLink,
    dashboard: () => `${deps.urls.publicUrl}/dashboard/login/code`,
  };

  /** A new pending session, with its secret and user code in the clear, once. */
  const open = async (clientName: string) => {
    const secret = generateSessionSecret();
    const userCode = generateUserCode();
    const now = deps.now();
    const session = await deps.store.createLoginSession({
      id: randomnessOf(deps).id('ses'),
      secretHash: sha256Hex(secret),
      userCodeHash: sha256Hex(userCode),
      clientName,
      now: now.toISOString(),
      expiresAt: new Date(now.getTime() + settings().ttlSeconds * 1000).toISOString(),
    });
    return { session, secret, userCode };
  };

  /**
   * Mails a new 6-digit code; it replaces any earlier one, and only its salted hash is kept. `link`:
   * where the mail sends the person when that is not the channel's page (the claim page of an
   * anonymous deploy, which the sign-in finishes).
   */
  const mailCode = async (channel: SignInChannel, ticket: Pick<SignInTicket, 'sessionId' | 'clientName' | 'userCode'>, email: string, link?: string) => {
    const code = generateEmailCode();
    await deps.store.setLoginSessionCode(ticket.sessionId, email, hashEmailCode(ticket.sessionId, code));
    await adapters.mailer.sendLoginCode({
      to: email,
      code,
      link: link ?? links[channel](ticket.userCode),
      clientName: ticket.clientName,
      userCode: ticket.userCode,
      expiresIn: describeTtl(settings()),
    });
  };

  return {
    settings,
    /** How long a sign-in lasts, in words ("10 minutes"). */
    ttlText: () => describeTtl(settings()),

    /** Spends one of the address's (and the email's) codes for this minute; the refusal, or null. */
    async spendCodeBudget(channel: SignInChannel, ip: string, email: string): Promise<AppError | null> {
      return (
        (await spend(budget(`${channel}-codes-ip`, (s) => s.codesPerIp), `ip:${ip}`)) ??
        (await spend(budget(`${channel}-codes-email`, (s) => s.codesPerEmail), `email:${email}`))
      );
    },

    /** Spends one of the address's code checks for this minute; the refusal, or null. */
    spendVerifyBudget(channel: SignInChannel, ip: string): Promise<AppError | null> {
      return spend(budget(`${channel}-verify`, (s) => s.verifyPerIp), `ip:${ip}`);
    },

    /**
     * POST /auth/session: a sign-in an app will poll for its key. The address's budget is spent
     * before `readClientName` reads the request.
     */
    async openForDevice(ip: string, readClientName: () => Promise<string>): Promise<LoginSession> {
      const refused = await spend(budget('login-sessions', (s) => s.sessionsPerIp), `ip:${ip}`);
      if (refused) throw new AppError('rate_limited', 'Too many sign-in attempts from this address. Wait a minute, then try again.', refused.details);
      const clientName = await readClientName();
      await deps.store.deleteLoginSessionsExpiredBefore(new Date(clock() - KEEP_ENDED_MS).toISOString());
      const { secret, userCode } = await open(clientName);
      const s = settings();
      return { session_id: secret, user_code: userCode, verification_url: deviceLink(userCode), interval: s.intervalSeconds, expires_in: s.ttlSeconds };
    },

    /**
     * A sign-in with its code mailed at once (the dashboard: no device polls); its secret for the
     * cookie. `link`: the page the mail links to, when not the channel's own (mailCode).
     */
    async openWithCode(channel: SignInChannel, clientName: string, email: string, link?: string): Promise<{ secret: string }> {
      const { session, secret, userCode } = await open(clientName);
      await mailCode(channel, ticketOf(session, userCode), email, link);
      return { secret };
    },

    /** The sign-in a typed user code names, and whether it can go on. */
    async findByUserCode(raw: string): Promise<SignInLookup> {
      const userCode = normaliseUserCode(raw);
      const session = userCode ? await deps.store.findLoginSessionByUserCodeHash(sha256Hex(userCode)) : null;
      if (!userCode || !session) return { state: 'unknown' };
      if (session.status === 'failed') return { state: 'ended', why: 'failed' };
      if (session.status !== 'pending') return { state: 'ended', why: 'complete' };
      if (!isLive(session)) return { state: 'ended', why: 'expired' };
      return { state: 'pending', ticket: ticketOf(session, userCode) };
    },

    /** The pending, live sign-in a session secret names (the dashboard's cookie), or null. */
    async findPendingBySecret(secret: string): Promise<SignInTicket | null> {
      const session = await deps.store.findLoginSessionBySecretHash(sha256Hex(secret));
      if (!session || session.status !== 'pending' || !isLive(session)) return null;
      return ticketOf(session, '');
    },

    /** Mails a new code for a pending sign-in (the browser login's email step). */
    sendCode: (channel: SignInChannel, ticket: SignInTicket, email: string): Promise<void> => mailCode(channel, ticket, email),

    /**
     * Checks a typed code against the ticket's (in constant time). A wrong one counts towards the
     * attempt limit; the right one verifies the session for the email's user, whose account and
     * personal org the first sign-in creates.
     */
    async checkCode(ticket: SignInTicket, code: string): Promise<CodeCheck> {
      const codeHash = codeHashes.get(ticket);
      if (!ticket.email || codeHash === undefined) throw new Error('checkCode needs a ticket whose code was sent (ticket.codeSent)');
      const maxAttempts = settings().maxCodeAttempts;
      if (!/^\d{6}$/.test(code) || !sameHash(codeHash, hashEmailCode(ticket.sessionId, code))) {
        const after = await deps.store.recordLoginCodeFailure(ticket.sessionId, maxAttempts);
        if (!after || after.status === 'failed') return { outcome: 'ended' };
        return { outcome: 'wrong', triesLeft: maxAttempts - after.failedAttempts };
      }
      const { user, org } = await deps.store.ensureUser(ticket.email, deps.now().toISOString());
      if (!(await deps.store.verifyLoginSession(ticket.sessionId, user.id, org.id))) return { outcome: 'used' };
      return { outcome: 'verified', user, org };
    },

    /** Ends a verified sign-in that no device polls for (the dashboard); true for exactly one caller. */
    claim: (sessionId: string): Promise<boolean> => deps.store.consumeLoginSession(sessionId),

    /** POST /auth/session/poll: pending, slow_down, expired, or once, the new key. */
    async poll(secret: string): Promise<LoginPoll> {
      const session = await deps.store.findLoginSessionBySecretHash(sha256Hex(secret));
      if (!session || session.status === 'consumed') {
        return { status: 'expired', message: `This sign-in is finished or unknown. ${START_AGAIN}` };
      }
      if (session.status === 'failed') return { status: 'expired', message: `Sign-in ended after too many wrong codes. ${START_AGAIN}` };
      const s = settings();
      if (!isLive(session)) return { status: 'expired', message: `Sign-in expired after ${describeTtl(s)}. ${START_AGAIN}` };
      if (session.status === 'verified') {
        // The atomic claim: of any number of concurrent polls, exactly one gets the key.
        if (!(await deps.store.consumeLoginSession(session.id)) || !session.userId || !session.orgId) {
          return { status: 'expired', message: `This sign-in is finished. ${START_AGAIN}` };
        }
        const now = deps.now().toISOString();
        const issued = await issueApiKey(
          deps.store,
          { orgId: session.orgId, userId: session.userId, name: `${session.clientName} login ${now.slice(0, 10)}`, now },
          randomnessOf(deps),
        );
        return { status: 'complete', api_key: issued.key, key_id: issued.record.id, email: session.email ?? '', org_id: session.orgId };
      }
      const now = clock();
      const last = session.lastPolledAt ? Date.parse(session.lastPolledAt) : 0;
      await deps.store.touchLoginSessionPoll(session.id, new Date(now).toISOString());
      // A second of slack for timers and network jitter.
      if (now - last < (s.intervalSeconds - 1) * 1000) return { status: 'slow_down', interval: s.intervalSeconds + 5 };
      return { status: 'pending', interval: s.intervalSeconds };
    },
  };
}

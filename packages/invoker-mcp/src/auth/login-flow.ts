// The client side of the browser login (SPEC section 6), shared by the MCP tools and the CLI.
// One LoginFlow per process: start() begins a device-style session (or resumes the one in
// progress, in this process or recorded by an earlier one: pending-login.ts), opens the browser once,
// and polls in the background until the person finishes; the credentials are saved the moment the key
// arrives, whether or not anyone is waiting. Clock, sleep, HTTP and "open the browser" are injected so
// tests never sleep for real.
import { ApiClient, type HttpSend } from '../client/api-client.js';
import type { ClientConfig } from '../config.js';
import { AppError, toAppError } from '../errors.js';
import { LoginPollSchema, LoginSessionSchema, type LoginPoll } from '../contract/login.js';
import { claimKeptSites, type ClaimedSite } from './claims.js';
import { credentialsPath, readCredentials, writeCredentials } from './credentials.js';
import { claimPendingLogin, clearPendingLogin, readPendingLogin, updatePendingLogin, type PendingLogin } from './pending-login.js';

export interface LoginFlowDeps {
  config: ClientConfig;
  /** Shown on the login page and used in the key name; a function because MCP learns it late. */
  clientName: () => string;
  userAgent: string;
  /** False when INVOKER_NO_BROWSER=1 or no display is available. */
  canOpenBrowser: boolean;
  openBrowser: (url: string) => Promise<boolean>;
  send?: HttpSend;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
}

export interface LoginPrompt {
  verificationUrl: string;
  userCode: string;
  expiresAt: number;
  /** True when this call created the session; false when it resumed the one in progress. */
  started: boolean;
  browserOpened: boolean;
}

export type LoginOutcome =
  /** claimed: the anonymous sites this login kept (auth/claims.ts). */
  | { status: 'complete'; email: string; orgId: string; file: string; claimed?: ClaimedSite[] }
  | { status: 'pending' }
  | { status: 'expired'; message: string }
  | { status: 'failed'; message: string };

interface Attempt {
  prompt: Omit<LoginPrompt, 'started'>;
  outcome: LoginOutcome | null;
  done: Promise<LoginOutcome>;
  cancelled: boolean;
}

/** How many network failures in a row the poller rides out before giving up. */
const MAX_POLL_FAILURES = 5;

export class LoginFlow {
  private attempt: Attempt | null = null;
  private starting: Promise<LoginPrompt> | null = null;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly api: ApiClient;

  constructor(private readonly deps: LoginFlowDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.api = new ApiClient({
      apiUrl: deps.config.apiUrl,
      userAgent: deps.userAgent,
      // A 429 must not hold a tool call for Retry-After seconds: the poll loop backs off itself.
      maxRetries: 0,
      ...(deps.send ? { send: deps.send } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
  }

  /** The session in progress, if any, without starting one. */
  current(): LoginPrompt | null {
    const a = this.attempt;
    return a && !a.outcome && a.prompt.expiresAt > this.now() ? { ...a.prompt, started: false } : null;
  }

  /** Starts a login, or resumes the one in progress (concurrent callers share one session). */
  start(): Promise<LoginPrompt> {
    const resumed = this.current();
    if (resumed) return Promise.resolve(resumed);
    this.starting ??= this.begin().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Waits up to ms for the flow in progress to end; `pending` when it has not. */
  async wait(ms: number): Promise<LoginOutcome> {
    const a = this.attempt;
    if (!a) return { status: 'failed', message: 'No sign-in is in progress: call login to start one.' };
    if (a.outcome) return a.outcome;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<LoginOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'pending' }), ms);
    });
    try {
      return await Promise.race([a.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops polling (logout, shutdown). */
  cancel(): void {
    if (this.attempt) this.attempt.cancelled = true;
    this.attempt = null;
  }

  private async begin(): Promise<LoginPrompt> {
    const { configDir, apiUrl } = this.deps.config;
    // A sign-in an earlier process started (MCP clients restart servers between calls) goes on here.
    const saved = await readPendingLogin(configDir, apiUrl, this.now()).catch(() => null);
    if (saved) return this.follow(saved, false);

    const raw = await this.api.call<unknown>('POST', '/auth/session', { client_name: this.deps.clientName() }, false);
    const parsed = LoginSessionSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('upstream', `The Invoker API at ${apiUrl} answered the login request unexpectedly. Check INVOKER_API_URL.`);
    }
    const session = parsed.data;
    const mine: PendingLogin = {
      api_url: apiUrl,
      session_id: session.session_id,
      user_code: session.user_code,
      verification_url: session.verification_url,
      interval: session.interval,
      started_at: new Date(this.now()).toISOString(),
      expires_at: new Date(this.now() + session.expires_in * 1000).toISOString(),
      browser_opened: false,
    };
    // A config dir that cannot be written still allows an in-process sign-in.
    const inForce = await claimPendingLogin(configDir, mine, this.now()).catch((e: unknown) => {
      this.deps.log?.(`Could not record the sign-in in ${configDir} (${(e as Error).message}); it will not survive a restart.`);
      return mine;
    });
    // Another process started one at the same moment: share it (ours expires unused on the server).
    if (inForce.session_id !== mine.session_id) return this.follow(inForce, false);
    const browserOpened = this.deps.canOpenBrowser ? await this.deps.openBrowser(session.verification_url).catch(() => false) : false;
    const pending = { ...mine, browser_opened: browserOpened };
    if (browserOpened) await updatePendingLogin(configDir, pending).catch(() => undefined);
    return this.follow(pending, true);
  }

  /** Polls `pending` in the background from now on; `started` says whether this call created it. */
  private follow(pending: PendingLogin, started: boolean): LoginPrompt {
    const attempt: Attempt = {
      prompt: {
        verificationUrl: pending.verification_url,
        userCode: pending.user_code,
        expiresAt: Date.parse(pending.expires_at),
        browserOpened: pending.browser_opened,
      },
      outcome: null,
      cancelled: false,
      done: Promise.resolve({ status: 'pending' }),
    };
    // A resumed sign-in may be finished already: ask at once rather than after an interval.
    attempt.done = this.poll(attempt, pending, !started).then(async (outcome) => {
      // Forgotten before the outcome is visible, so that nobody resumes a finished sign-in. Cancelled
      // (shutdown) or unreachable: the record stays for the next process (logout removes it itself).
      if (outcome.status === 'complete' || outcome.status === 'expired') {
        await clearPendingLogin(this.deps.config.configDir, pending.api_url, pending.session_id).catch(() => undefined);
      }
      attempt.outcome = outcome;
      return outcome;
    });
    this.attempt = attempt;
    return { ...attempt.prompt, started };
  }

  private async poll(attempt: Attempt, pending: PendingLogin, askFirst: boolean): Promise<LoginOutcome> {
    let intervalMs = pending.interval * 1000;
    let failures = 0;
    for (let first = true; ; first = false) {
      if (!(first && askFirst)) await this.sleep(intervalMs);
      if (attempt.cancelled) return { status: 'failed', message: 'Sign-in cancelled.' };
      if (this.now() >= attempt.prompt.expiresAt) {
        return { status: 'expired', message: 'The sign-in expired after 10 minutes. Call login again to get a new code.' };
      }
      let answer: LoginPoll;
      try {
        const raw = await this.api.call<unknown>('POST', '/auth/session/poll', { session_id: pending.session_id }, false);
        answer = LoginPollSchema.parse(raw);
        failures = 0;
      } catch (e) {
        const error = toAppError(e);
        if (error.code === 'rate_limited') {
          intervalMs += 5000;
          continue;
        }
        if (++failures < MAX_POLL_FAILURES && (error.code === 'upstream' || error.code === 'internal')) continue;
        return { status: 'failed', message: error.message };
      }
      switch (answer.status) {
        case 'pending':
          continue;
        case 'slow_down':
          // The server names the interval it wants. Adding 5 s on every slow_down instead would let two
          // processes polling one shared sign-in push each other to ever longer waits.
          intervalMs = Math.max(intervalMs, answer.interval * 1000);
          continue;
        case 'expired':
          // A sign-in shared with another process ends "finished" for whichever did not collect the key.
          return (await this.savedByAnother(pending)) ?? { status: 'expired', message: answer.message };
        case 'complete': {
          if (attempt.cancelled) return { status: 'failed', message: 'Sign-in cancelled.' };
          const file = await writeCredentials(this.deps.config.configDir, {
            api_key: answer.api_key,
            key_id: answer.key_id,
            email: answer.email,
            org_id: answer.org_id,
            api_url: this.deps.config.apiUrl,
            created_at: new Date(this.now()).toISOString(),
          });
          this.deps.log?.(`Signed in as ${answer.email}; credentials saved to ${file}.`);
          // Anonymous sites deployed before this login move into the account now, whoever waits.
          const claimed = await claimKeptSites({
            configDir: this.deps.config.configDir,
            apiUrl: this.deps.config.apiUrl,
            apiKey: answer.api_key,
            userAgent: this.deps.userAgent,
            send: this.deps.send,
            now: this.now(),
          }).catch((e: unknown) => {
            this.deps.log?.(`Could not keep the anonymous sites deployed before this login (${(e as Error).message}); the next login tries again.`);
            return [];
          });
          for (const site of claimed) this.deps.log?.(`Kept ${site.slug} (${site.url}) in your account.`);
          return { status: 'complete', email: answer.email, orgId: answer.org_id, file, ...(claimed.length ? { claimed } : {}) };
        }
      }
    }
  }

  /** The credentials another process saved for this sign-in (it may be a moment behind its key), if any. */
  private async savedByAnother(pending: PendingLogin): Promise<LoginOutcome | null> {
    for (let check = 0; check < 2; check++) {
      if (check > 0) await this.sleep(1000);
      const saved = await readCredentials(this.deps.config.configDir).catch(() => null);
      if (saved && saved.api_url === pending.api_url && saved.created_at >= pending.started_at) {
        return { status: 'complete', email: saved.email, orgId: saved.org_id, file: credentialsPath(this.deps.config.configDir) };
      }
    }
    return null;
  }
}

// The client side of the browser login (SPEC section 6), shared by the MCP tools and the CLI.
// One LoginFlow per process: start() begins a device-style session (or resumes the one in
// progress), opens the browser once, and polls in the background until the person finishes; the
// credentials are saved the moment the key arrives, whether or not anyone is waiting. Clock,
// sleep, HTTP and "open the browser" are injected so tests never sleep for real.
import { ApiClient, type HttpSend } from '../client/api-client.js';
import type { ClientConfig } from '../config.js';
import { AppError, toAppError } from '../errors.js';
import { LoginPollSchema, LoginSessionSchema, type LoginPoll, type LoginSession } from '../contract/login.js';
import { writeCredentials } from './credentials.js';

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
  | { status: 'complete'; email: string; orgId: string; file: string }
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
    const raw = await this.api.call<unknown>('POST', '/auth/session', { client_name: this.deps.clientName() }, false);
    const parsed = LoginSessionSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('upstream', `The Invoker API at ${this.deps.config.apiUrl} answered the login request unexpectedly. Check INVOKER_API_URL.`);
    }
    const session = parsed.data;
    const browserOpened = this.deps.canOpenBrowser ? await this.deps.openBrowser(session.verification_url).catch(() => false) : false;
    const attempt: Attempt = {
      prompt: {
        verificationUrl: session.verification_url,
        userCode: session.user_code,
        expiresAt: this.now() + session.expires_in * 1000,
        browserOpened,
      },
      outcome: null,
      cancelled: false,
      done: Promise.resolve({ status: 'pending' }),
    };
    attempt.done = this.poll(attempt, session).then((outcome) => {
      attempt.outcome = outcome;
      return outcome;
    });
    this.attempt = attempt;
    return { ...attempt.prompt, started: true };
  }

  private async poll(attempt: Attempt, session: LoginSession): Promise<LoginOutcome> {
    let intervalMs = session.interval * 1000;
    let failures = 0;
    for (;;) {
      await this.sleep(intervalMs);
      if (attempt.cancelled) return { status: 'failed', message: 'Sign-in cancelled.' };
      if (this.now() >= attempt.prompt.expiresAt) {
        return { status: 'expired', message: 'The sign-in expired after 10 minutes. Call login again to get a new code.' };
      }
      let answer: LoginPoll;
      try {
        const raw = await this.api.call<unknown>('POST', '/auth/session/poll', { session_id: session.session_id }, false);
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
          intervalMs = Math.max(intervalMs + 5000, answer.interval * 1000);
          continue;
        case 'expired':
          return { status: 'expired', message: answer.message };
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
          return { status: 'complete', email: answer.email, orgId: answer.org_id, file };
        }
      }
    }
  }
}

import { z } from 'zod';
import { AppError, isAppError } from '../../errors.js';
import type { LoginOutcome } from '../../auth/login-flow.js';
import { defineTool } from '../define-tool.js';
import { pendingLoginText } from '../login-text.js';

/**
 * Clients cancel tool calls after about 60 s, so a call never waits longer than ~25 s in total.
 * Without a browser the person first has to read the URL in the answer, so waiting is pointless.
 */
export interface LoginWaits {
  afterBrowserMs: number;
  withoutBrowserMs: number;
  resumeMs: number;
  elicitMs: number;
}
export const DEFAULT_LOGIN_WAITS: LoginWaits = { afterBrowserMs: 18_000, withoutBrowserMs: 1_500, resumeMs: 15_000, elicitMs: 5_000 };

const LoginResultSchema = z.object({
  status: z.enum(['logged_in', 'pending', 'env_key']),
  email: z.string().optional(),
  org_id: z.string().optional(),
  verification_url: z.string().optional(),
  user_code: z.string().optional(),
  credentials_file: z.string().optional(),
  kept_sites: z.array(z.object({ id: z.string(), slug: z.string(), url: z.string() })).optional(),
});

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.catch(() => fallback),
    new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function createLoginTool(waits: LoginWaits = DEFAULT_LOGIN_WAITS) {
  return defineTool({
    name: 'login',
    title: 'Log in',
    toolset: 'auth',
    stdioOnly: true,
    description:
      'Sign in by email in the browser: returns "Logged in as …", or a URL and code for the user (call again after).',
    inputSchema: z.object({}),
    outputSchema: LoginResultSchema,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handler(_args, ctx) {
      if (ctx.config.envApiKey) {
        return {
          text:
            "INVOKER_API_KEY is set in this server's environment, so every tool already uses that key and login changes nothing. " +
            'Call whoami to see the account. To use a browser login instead, remove INVOKER_API_KEY from the client configuration.',
          structured: { status: 'env_key' as const },
        };
      }
      // An unreadable credentials file stops every other tool with a clear error; login is its fix
      // (the new file replaces it atomically).
      const resolved = await ctx.currentKey().catch((e: unknown) => {
        if (isAppError(e) && e.code === 'config' && !ctx.config.envApiKey) return null;
        throw e;
      });
      // True when the saved key was refused: checking it already started the sign-in (see context.ts),
      // but this call is still the first to show it.
      let staleKey = false;
      if (resolved) {
        try {
          const me = await (await ctx.api()).me();
          return {
            text: `Logged in as ${me.user.email} (organization "${me.org.name}", ${me.org.id}) at ${ctx.config.apiUrl}, with the key saved in ${resolved.file}. To switch accounts, call logout, then login.`,
            structured: { status: 'logged_in' as const, email: me.user.email, org_id: me.org.id, ...(resolved.file ? { credentials_file: resolved.file } : {}) },
          };
        } catch (e) {
          // A revoked or deleted key: sign in again below.
          if (!isAppError(e) || e.code !== 'unauthenticated') throw e;
          staleKey = true;
        }
      }
      const flow = ctx.login;
      if (!flow) throw new AppError('internal', 'This server was started without browser login support. Set INVOKER_API_KEY instead.');
      const started = await flow.start();
      const prompt = staleKey ? { ...started, started: true } : started;
      let shown = prompt.browserOpened;
      if (prompt.started && ctx.elicitUrl) {
        const message = `Sign in to Invoker: check that the page shows the code ${prompt.userCode}, then enter your email.`;
        shown = (await withTimeout(ctx.elicitUrl(message, prompt.verificationUrl), waits.elicitMs, false)) || shown;
      }
      const waitMs = !prompt.started ? waits.resumeMs : shown ? waits.afterBrowserMs : waits.withoutBrowserMs;
      const outcome: LoginOutcome = await flow.wait(waitMs);
      switch (outcome.status) {
        case 'complete': {
          const kept = outcome.claimed ?? [];
          const keptText = kept.length
            ? ` Kept ${kept.length === 1 ? 'the anonymous site' : `${kept.length} anonymous sites`} deployed before: ${kept.map((k) => `${k.slug} (${k.url})`).join(', ')}; ${kept.length === 1 ? 'it is' : 'they are'} in this account now and no longer expire.`
            : '';
          return {
            text: `Logged in as ${outcome.email} (organization ${outcome.orgId}) at ${ctx.config.apiUrl}. The key is saved in ${outcome.file}; every Invoker tool works now.${keptText}`,
            structured: { status: 'logged_in' as const, email: outcome.email, org_id: outcome.orgId, credentials_file: outcome.file, ...(kept.length ? { kept_sites: kept } : {}) },
          };
        }
        case 'pending':
          return {
            text: pendingLoginText(
              prompt,
              'Finish in the browser, then call login again to confirm; the key is saved automatically the moment the user finishes.',
            ),
            structured: { status: 'pending' as const, verification_url: prompt.verificationUrl, user_code: prompt.userCode },
          };
        case 'expired':
        case 'failed':
          throw new AppError('unauthenticated', `${outcome.message} Call login again to start a new sign-in.`);
      }
    },
  });
}

export const loginTool = createLoginTool();

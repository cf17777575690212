// `invoker-mcp login` in a terminal: the same browser flow and credentials file as the MCP `login`
// tool. Prompts and progress go to stderr; the one result line goes to stdout.
import { ApiClient } from '../client/api-client.js';
import type { ClientConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { LoginFlow, type LoginFlowDeps } from './login-flow.js';
import { resolveApiKey } from './resolve-key.js';

export interface CliLoginIo {
  out(text: string): void;
  err(text: string): void;
}

export async function cliLogin(
  config: ClientConfig,
  io: CliLoginIo,
  deps: Pick<LoginFlowDeps, 'userAgent' | 'canOpenBrowser' | 'openBrowser' | 'send' | 'now' | 'sleep'>,
): Promise<void> {
  if (config.envApiKey) {
    io.err('INVOKER_API_KEY is set, so Invoker uses that key and login changes nothing. Unset it to log in with the browser, or replace it with a working key.\n');
    return;
  }
  // An unreadable credentials file is what login replaces, not a reason to refuse.
  const resolved = await resolveApiKey(config).catch((e: unknown) => {
    if (isAppError(e) && e.code === 'config') {
      io.err(`${e.message}\nSigning in again replaces it.\n`);
      return null;
    }
    throw e;
  });
  if (resolved) {
    try {
      const api = new ApiClient({ apiUrl: config.apiUrl, apiKey: resolved.key, userAgent: deps.userAgent, ...(deps.send ? { send: deps.send } : {}) });
      const me = await api.me();
      io.out(`Already logged in as ${me.user.email} at ${config.apiUrl} (key from ${resolved.file}). Run \`invoker-mcp logout\` first to switch accounts.\n`);
      return;
    } catch (e) {
      if (!isAppError(e) || e.code !== 'unauthenticated') throw e;
      io.err('The saved key no longer works; signing in again.\n');
    }
  }
  const flow = new LoginFlow({ config, clientName: () => 'invoker-mcp CLI', ...deps });
  const prompt = await flow.start();
  const where = !prompt.started
    ? `Resuming the sign-in started earlier (${prompt.verificationUrl}).\n`
    : prompt.browserOpened
      ? `Opened ${prompt.verificationUrl} in your browser.\n`
      : `Open this page in a browser:\n\n  ${prompt.verificationUrl}\n\n`;
  io.err(
    where +
      `Check that it shows the code ${prompt.userCode}, enter your email, then the 6-digit code mailed to you.\n` +
      'Waiting for you to finish (Ctrl-C to cancel)…\n',
  );
  for (;;) {
    const outcome = await flow.wait(60_000);
    switch (outcome.status) {
      case 'pending':
        continue;
      case 'complete':
        io.out(`Logged in as ${outcome.email} at ${config.apiUrl}. Key saved to ${outcome.file}.\n`);
        for (const site of outcome.claimed ?? []) io.out(`Kept ${site.slug} (${site.url}), deployed before you logged in: it is in your account now and does not expire.\n`);
        return;
      case 'expired':
      case 'failed':
        throw new AppError('unauthenticated', `${outcome.message} Run \`invoker-mcp login\` again.`);
    }
  }
}

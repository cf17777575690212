// The entry point behind bin/invoker-mcp.js: the only module that reads argv and the environment,
// builds the real dependencies and decides the exit code. With no arguments it is the stdio MCP
// server, so nothing here may write to stdout before that branch is chosen.
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError, exitCode, toAppError } from './errors.js';
import { parseClientConfig, parseServeConfig, defaultDataDir, type Env } from './config.js';
import { packageVersion } from './version.js';

const HELP = `invoker-mcp: deploy forms and sites from AI conversations

Usage:
  invoker-mcp                         run the MCP server on stdio (what MCP clients start)
  invoker-mcp serve [options]         run the Invoker platform (API, hosted sites, forms)
      --port N                        listen port (default 8787; 0 picks a free port)
      --host H                        listen address (default 127.0.0.1)
      --data-dir D                    where the SQLite store lives
  invoker-mcp admin create-key EMAIL [--name N] [--data-dir D]
                                      create the user if needed and print a new API key
  invoker-mcp login                   sign in with your email in the browser; saves the key
  invoker-mcp logout                  revoke the saved key and delete the credentials file
  invoker-mcp whoami                  show the account, the key and where the key came from
  invoker-mcp deploy PATH [--slug S] [--publish] [--org ID]
                                      deploy an .html file or a folder (preview unless --publish)
  invoker-mcp keys list [--org ID]    list API keys (name, preview, last used)
  invoker-mcp keys create NAME [--org ID]
                                      create an API key and print it once on stdout
  invoker-mcp keys revoke KEY_ID [--org ID]
                                      revoke an API key
  invoker-mcp install --client C [--api-url URL] [--api-key-env] [--print]
                                      add invoker to an MCP client's config (C: claude-desktop,
                                      claude-code, cursor, vscode, windsurf); no key unless --api-key-env
  invoker-mcp uninstall --client C    remove it again
  invoker-mcp --version | --help

Environment: INVOKER_API_URL, INVOKER_API_KEY, INVOKER_CONFIG_DIR, INVOKER_NO_BROWSER, PORT, INVOKER_HOST,
INVOKER_PUBLIC_URL, INVOKER_SITES_DOMAIN, INVOKER_DATA_DIR, DATABASE_URL and more: see the README.
`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function logger(io: Io) {
  const line = (level: string, message: string) => io.err(`${new Date().toISOString()} ${level} ${message}\n`);
  return {
    info: (m: string) => line('info', m),
    warn: (m: string) => line('warn', m),
    error: (m: string) => line('error', m),
  };
}

export async function main(argv: string[], env: Env, io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined: {
        const { runStdioServer } = await import('./mcp/stdio.js');
        await runStdioServer(env, packageVersion());
        // The client is gone; do not wait for stray handles.
        process.exit(0);
      }
      // falls through (process.exit never returns)
      case '--version':
      case '-v':
      case 'version':
        io.out(`${packageVersion()}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return 0;
      case 'serve':
        return await serve(rest, env, io);
      case 'admin':
        return await admin(rest, env, io);
      case 'whoami':
        return await whoami(env, io);
      case 'keys':
        return await keys(rest, env, io);
      case 'deploy':
        return await deploy(rest, env, io);
      case 'install':
      case 'uninstall': {
        const commands = await import('./install/command.js');
        return await commands[command](rest, {
          env,
          platform: process.platform,
          homedir: env.HOME || homedir(),
          execPath: process.execPath,
          entryPath: fileURLToPath(new URL('../bin/invoker-mcp.js', import.meta.url)),
          now: () => new Date(),
          out: io.out,
          err: io.err,
        });
      }
      case 'login':
        return await login(env, io);
      case 'logout':
        return await logout(env, io);
      default:
        io.err(`invoker-mcp: unknown command "${command}". Run \`invoker-mcp --help\` to see the commands.\n`);
        return 2;
    }
  } catch (e) {
    const error = toAppError(e);
    io.err(`invoker-mcp: ${error.message}\n`);
    return exitCode(error.code);
  }
}

function parse<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new AppError('invalid_input', `${(e as Error).message}. Run \`invoker-mcp --help\` for the options.`);
  }
}

async function serve(args: string[], env: Env, io: Io): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' } });
  const config = parseServeConfig(values, env);
  const log = logger(io);
  const { startServer } = await import('./server/main.js');
  const { DATA_DIR_BUSY } = await import('./store/data-dir-lock.js');
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer(config, log);
  } catch (e) {
    // The SPEC's exit status for a data dir another serve holds.
    if (e instanceof AppError && e.details.reason === DATA_DIR_BUSY) {
      io.err(`invoker-mcp: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  // Every request answers its own failures; a promise nobody awaited is a bug to log, not a reason
  // to take every other visitor's requests down with it (Node's default is to exit).
  process.on('unhandledRejection', (reason) => {
    log.error(`unhandled rejection (please report it): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  log.info(`Invoker ${packageVersion()} listening on ${running.urls.publicUrl} (store: ${running.store.kind}, data dir: ${config.dataDir})`);
  log.info(`Sites are served at ${running.urls.scheme}://{slug}.${running.urls.sitesDomain}/ and ${running.urls.publicUrl}/s/{slug}/`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('Shutting down: finishing requests in flight.');
  await running.close();
  return 0;
}

async function admin(args: string[], env: Env, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create-key') {
    throw new AppError('invalid_input', 'Usage: invoker-mcp admin create-key EMAIL [--name NAME] [--data-dir DIR]');
  }
  const { values, positionals } = parse(rest, { name: { type: 'string' }, 'data-dir': { type: 'string' } });
  const email = positionals[0];
  if (!email || positionals.length > 1 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new AppError('invalid_input', 'Give one email address: invoker-mcp admin create-key me@example.com');
  }
  const { openStore } = await import('./store/open-store.js');
  const { issueApiKey } = await import('./server/keys.js');
  const store = await openStore({ dataDir: values['data-dir'] ?? defaultDataDir(env), databaseUrl: env.DATABASE_URL || undefined });
  try {
    const now = new Date().toISOString();
    const { user, org } = await store.ensureUser(email, now);
    const issued = await issueApiKey(store, { orgId: org.id, userId: user.id, name: values.name ?? 'admin', now });
    // stdout carries only the key, so `KEY=$(invoker-mcp admin create-key …)` works.
    io.out(`${issued.key}\n`);
    io.err(`Created key ${issued.record.preview} ("${issued.record.name}") for ${user.email} in org ${org.id}. It is shown only once.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The API client for a terminal command, with the key resolved as everywhere (env > file). */
async function cliApi(env: Env) {
  const config = parseClientConfig(env);
  const { resolveApiKey } = await import('./auth/resolve-key.js');
  const { ApiClient } = await import('./client/api-client.js');
  const resolved = await resolveApiKey(config);
  if (!resolved) {
    throw new AppError('unauthenticated', `Not logged in to ${config.apiUrl}. Run \`invoker-mcp login\`, or set INVOKER_API_KEY.`);
  }
  const api = new ApiClient({ apiUrl: config.apiUrl, apiKey: resolved.key, keySource: resolved.source, userAgent: `invoker-mcp/${packageVersion()} (cli)` });
  return { api, config, resolved };
}

async function keys(args: string[], env: Env, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, { org: { type: 'string' } });
  const { api } = await cliApi(env);
  switch (sub) {
    case 'list': {
      const { keys: list } = await api.listApiKeys(values.org);
      for (const k of list) io.out(`${k.id}\t${k.name}\t${k.preview}\tcreated ${k.created_at}\tlast used ${k.last_used_at ?? 'never'}\n`);
      if (list.length === 0) io.err('No API keys.\n');
      return 0;
    }
    case 'create': {
      const name = positionals.join(' ').trim();
      if (!name) throw new AppError('invalid_input', 'Give the key a name: invoker-mcp keys create "CI"');
      const created = await api.createApiKey(name, values.org);
      io.out(`${created.key}\n`);
      io.err(`Created key ${created.id} "${created.name}" (${created.preview}). Store it now: it is not shown again.\n`);
      return 0;
    }
    case 'revoke': {
      const id = positionals[0];
      if (!id || positionals.length > 1) throw new AppError('invalid_input', 'Give one key id: invoker-mcp keys revoke key_… (see `keys list`)');
      await api.revokeApiKey(id, values.org);
      io.err(`Revoked ${id}.\n`);
      return 0;
    }
    default:
      throw new AppError('invalid_input', 'Usage: invoker-mcp keys list | keys create NAME | keys revoke KEY_ID  [--org ID]');
  }
}

async function deploy(args: string[], env: Env, io: Io): Promise<number> {
  const { values, positionals } = parse(args, { slug: { type: 'string' }, publish: { type: 'boolean' }, org: { type: 'string' } });
  const path = positionals[0];
  if (!path || positionals.length > 1) throw new AppError('invalid_input', 'Usage: invoker-mcp deploy PATH [--slug S] [--publish]');
  const { api } = await cliApi(env);
  const { readSite } = await import('./client/read-site.js');
  let lastReport = 0;
  const site = await readSite(path, ({ files, bytes }) => {
    // Progress for big folders only, at most every 100 files.
    if (files - lastReport >= 100) {
      lastReport = files;
      io.err(`Read ${files} files (${(bytes / 1024 / 1024).toFixed(1)} MB)…\n`);
    }
  });
  if (site.files && site.files.length >= 100) io.err(`Uploading ${site.files.length} files (${(site.bytes / 1024 / 1024).toFixed(1)} MB)…\n`);
  const result = await api.deploy(
    {
      ...(site.html !== undefined ? { html: site.html } : { files: site.files }),
      ...(values.slug ? { slug: values.slug } : {}),
      publish: values.publish ?? false,
    },
    values.org,
  );
  if (result.live_version === result.version) {
    io.out(`${result.url}\n`);
    io.err(`Deployed ${result.slug} version ${result.version}: live at ${result.url}\n`);
  } else {
    io.out(`${result.preview_url}\n`);
    io.err(`Deployed ${result.slug} version ${result.version} as a preview. Publish with --publish to make it live at ${result.url}\n`);
  }
  return 0;
}

async function whoami(env: Env, io: Io): Promise<number> {
  const { api, config, resolved } = await cliApi(env);
  const me = await api.me();
  const from = resolved.source === 'environment' ? 'the INVOKER_API_KEY environment variable' : `the credentials file ${resolved.file}`;
  io.out(`Signed in as ${me.user.email} (org "${me.org.name}", ${me.org.id}) at ${config.apiUrl}\nKey ${me.key.preview} from ${from}\n`);
  return 0;
}

async function login(env: Env, io: Io): Promise<number> {
  const config = parseClientConfig(env);
  const { cliLogin } = await import('./auth/cli-login.js');
  const { canOpenBrowser, openInBrowser } = await import('./auth/open-browser.js');
  await cliLogin(config, io, {
    userAgent: `invoker-mcp/${packageVersion()} (cli)`,
    canOpenBrowser: canOpenBrowser(env),
    openBrowser: openInBrowser,
  });
  return 0;
}

async function logout(env: Env, io: Io): Promise<number> {
  const config = parseClientConfig(env);
  const { describeLogout, logOut } = await import('./auth/logout.js');
  const result = await logOut(config, { userAgent: `invoker-mcp/${packageVersion()} (cli)` });
  io.out(`${describeLogout(result)}\n`);
  return 0;
}

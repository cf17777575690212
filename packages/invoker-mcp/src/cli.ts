// The entry point behind bin/invoker-mcp.js: the only module that reads argv and the environment,
// builds the real dependencies and decides the exit code. With no arguments it is the stdio MCP
// server, so nothing here may write to stdout before that branch is chosen.
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AppError, exitCode, toAppError } from './errors.js';
import { parseFlags, type Io } from './cli-args.js';
import { parseClientConfig, type ClientConfig, type Env } from './config.js';
import { packageVersion } from './version.js';
import type { ResolvedKey } from './auth/resolve-key.js';

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
                                      deploy an .html file or a folder (preview unless --publish);
                                      with no key, where the server allows it: live, expiring, claimable
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

const stdio: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

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
      case 'admin':
        return await platformCommand(argv, env, io);
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

/** Read when used: the stdio branch reads nothing it does not need. */
const cliAgent = () => `invoker-mcp/${packageVersion()} (cli)`;

function notLoggedIn(apiUrl: string): AppError {
  return new AppError('unauthenticated', `Not logged in to ${apiUrl}. Run \`invoker-mcp login\`, or set INVOKER_API_KEY.`);
}

/** The key for a terminal command, resolved as everywhere (env > file); null when there is none. */
async function cliKey(config: ClientConfig) {
  const { resolveApiKey } = await import('./auth/resolve-key.js');
  return resolveApiKey(config);
}

/** The API client for a resolved key. */
async function clientFor(config: ClientConfig, resolved: ResolvedKey) {
  const { ApiClient } = await import('./client/api-client.js');
  return new ApiClient({ apiUrl: config.apiUrl, apiKey: resolved.key, keySource: resolved.source, userAgent: cliAgent() });
}

/** The API client for a terminal command; not logged in is an error. */
async function cliApi(env: Env) {
  const config = parseClientConfig(env);
  const resolved = await cliKey(config);
  if (!resolved) throw notLoggedIn(config.apiUrl);
  return { api: await clientFor(config, resolved), config, resolved };
}

async function keys(args: string[], env: Env, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, { org: { type: 'string' } });
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
  const { values, positionals } = parseFlags(args, { slug: { type: 'string' }, publish: { type: 'boolean' }, org: { type: 'string' } });
  const path = positionals[0];
  if (!path || positionals.length > 1) throw new AppError('invalid_input', 'Usage: invoker-mcp deploy PATH [--slug S] [--publish]');
  const config = parseClientConfig(env);
  // No key: where the server allows it, a live site that expires unless kept, as the deploy tool
  // does (SPEC section 14). An org belongs to an account, so --org still needs a key.
  const resolved = await cliKey(config);
  if (!resolved && values.org !== undefined) throw notLoggedIn(config.apiUrl);
  const api = resolved ? await clientFor(config, resolved) : null;
  const { readSite } = await import('./client/read-site.js');
  let lastReport = 0;
  const site = await readSite(
    path,
    ({ files, bytes }) => {
      // Progress for big folders only, at most every 100 files.
      if (files - lastReport >= 100) {
        lastReport = files;
        io.err(`Read ${files} files (${(bytes / 1024 / 1024).toFixed(1)} MB)…\n`);
      }
    },
    config.localLimits,
  );
  if (site.files && site.files.length >= 100) io.err(`Uploading ${site.files.length} files (${(site.bytes / 1024 / 1024).toFixed(1)} MB)…\n`);
  const content = { ...(site.html !== undefined ? { html: site.html } : { files: site.files }), ...(values.slug ? { slug: values.slug } : {}) };
  if (!api) {
    const { deployAnonymously } = await import('./auth/claims.js');
    const anonymous = await deployAnonymously({ configDir: config.configDir, apiUrl: config.apiUrl, userAgent: cliAgent() }, content);
    if (!anonymous) throw notLoggedIn(config.apiUrl);
    const { site: made, keptIn } = anonymous;
    io.out(`${made.url}\n`);
    io.err(
      `Deployed ${made.slug} without an account: live at ${made.url}, and it expires at ${made.expires_at} unless you keep it.\n` +
        `Keep it: run \`invoker-mcp login\` (the site then moves into your account${keptIn ? `; its claim token is saved in ${keptIn}` : ''}), ` +
        `or open ${made.claim_url}\n`,
    );
    return 0;
  }
  const result = await api.deploy({ ...content, publish: values.publish ?? false }, values.org);
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
    userAgent: cliAgent(),
    canOpenBrowser: canOpenBrowser(env),
    openBrowser: openInBrowser,
  });
  return 0;
}

async function logout(env: Env, io: Io): Promise<number> {
  const config = parseClientConfig(env);
  const { describeLogout, logOut } = await import('./auth/logout.js');
  const result = await logOut(config, { userAgent: cliAgent() });
  io.out(`${describeLogout(result)}\n`);
  return 0;
}

/**
 * `serve` and `admin` belong to the platform package, installed beside this one in a clone of the
 * repository (npm workspaces) and by `npx -y @invoker-mcp/platform`, but not by `npx -y invoker-mcp`:
 * most people who run the MCP server never run the platform, and need not download it.
 */
const PLATFORM_CLI = '@invoker-mcp/platform/cli.js';

async function platformCommand(argv: string[], env: Env, io: Io): Promise<number> {
  let platform: { main(argv: string[], env: Env, io: Io): Promise<number> };
  try {
    // A variable, so neither tsc nor a bundler pulls the platform into this package.
    platform = (await import(PLATFORM_CLI)) as typeof platform;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((e as Error).message).includes('@invoker-mcp/platform')) throw e;
    io.err(`invoker-mcp: the Invoker platform is not installed here; run it with: npx -y @invoker-mcp/platform ${argv.join(' ')}\n`);
    return 1;
  }
  return platform.main(argv, env, io);
}

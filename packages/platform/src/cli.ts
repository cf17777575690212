// The platform's entry point: `invoker-mcp serve` and `invoker-mcp admin` land here (through the
// invoker-mcp package's cli.ts), and so does the platform's own bin (`npx -y @invoker-mcp/platform
// serve`). The only module of the platform that reads argv and the environment and decides the exit
// code.
import { AppError, exitCode, toAppError } from 'invoker-mcp/errors.js';
import { parseFlags, type Io } from 'invoker-mcp/cli-args.js';
import type { Env } from 'invoker-mcp/config.js';
import { packageVersion } from 'invoker-mcp/version.js';
import { defaultDataDir, parseServeConfig } from './config.js';
import type { Logger } from './logger.js';

const HELP = `@invoker-mcp/platform: the self-hostable Invoker platform (API, dashboard, hosted sites, forms)

Usage:
  invoker-platform serve [--port N] [--host H] [--data-dir D]
                                      run the platform (default port 8787; 0 picks a free port)
  invoker-platform admin create-key EMAIL [--name N] [--data-dir D]
                                      create the user if needed and print a new API key
  invoker-platform --version | --help

The same commands run as \`invoker-mcp serve\` and \`invoker-mcp admin\` where both packages are
installed. Environment: PORT, INVOKER_HOST, INVOKER_PUBLIC_URL, INVOKER_SITES_DOMAIN, INVOKER_DATA_DIR,
DATABASE_URL, INVOKER_SMTP_URL and the limits: see the README.
`;

const stdio: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function logger(io: Io): Logger {
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
      case 'serve':
        return await serve(rest, env, io);
      case 'admin':
        return await admin(rest, env, io);
      case '--version':
      case '-v':
      case 'version':
        io.out(`${packageVersion()}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default:
        io.err(`invoker-platform: unknown command "${command}". Run \`invoker-platform --help\` to see the commands.\n`);
        return 2;
    }
  } catch (e) {
    const error = toAppError(e);
    io.err(`invoker-mcp: ${error.message}\n`);
    return exitCode(error.code);
  }
}

async function serve(args: string[], env: Env, io: Io): Promise<number> {
  const { values } = parseFlags(args, { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' } });
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
  const { values, positionals } = parseFlags(rest, { name: { type: 'string' }, 'data-dir': { type: 'string' } });
  const email = positionals[0];
  if (!email || positionals.length > 1 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new AppError('invalid_input', 'Give one email address: invoker-mcp admin create-key me@example.com');
  }
  const { openStore } = await import('./store/open-store.js');
  const { issueApiKey } = await import('./services/keys.js');
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


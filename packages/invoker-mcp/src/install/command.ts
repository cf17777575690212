// `invoker-mcp install|uninstall --client …`: writes (or removes) the `invoker` entry in one MCP
// client's user config. The entry starts this very Node with this very package by absolute paths,
// because clients launched from a dock or start menu do not load the user's shell (nvm, PATH).
import { parseArgs } from 'node:util';
import { AppError } from '../errors.js';
import { CLIENT_IDS, CLIENTS, isClientId, type ClientInfo, type ServerSpec } from './clients.js';
import { removeEntry, setEntry, type FileFormat } from './config-text.js';
import { backupConfigFile, readConfigFile, writeConfigFileAtomic } from './config-file.js';

export const SERVER_NAME = 'invoker';

export interface InstallDeps {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  homedir: string;
  /** Absolute path of the running Node (process.execPath). */
  execPath: string;
  /** Absolute path of this package's bin/invoker-mcp.js. */
  entryPath: string;
  now(): Date;
  out(text: string): void;
  err(text: string): void;
}

export const INSTALL_USAGE = `Usage:
  invoker-mcp install --client CLIENT [--api-url URL] [--api-key-env] [--print]
  invoker-mcp uninstall --client CLIENT
CLIENT is one of: ${CLIENT_IDS.join(', ')}.
  --api-url URL     write INVOKER_API_URL (e.g. http://localhost:8787 for your own platform)
  --api-key-env     copy INVOKER_API_KEY from this shell's environment into the config
                    (without it no key is written; the server uses ~/.invoker/credentials.json or login)
  --print           show the entry and the file it belongs in; change nothing
`;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        client: { type: 'string' },
        'api-url': { type: 'string' },
        'api-key-env': { type: 'boolean' },
        print: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (e) {
    throw new AppError('invalid_input', `${(e as Error).message}.\n${INSTALL_USAGE}`);
  }
}

function client(raw: string | undefined): ClientInfo {
  if (raw === undefined) throw new AppError('invalid_input', `Say which client with --client.\n${INSTALL_USAGE}`);
  if (!isClientId(raw)) throw new AppError('invalid_input', `Unknown client "${raw}": use one of ${CLIENT_IDS.join(', ')}.`);
  return CLIENTS[raw];
}

function apiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid_input', `--api-url must be an absolute URL such as http://localhost:8787; got "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('invalid_input', `--api-url must use http or https; got "${raw}".`);
  }
  return raw.replace(/\/+$/, '');
}

/** The command, args and env the client will start; the API key only when asked for explicitly. */
export function serverSpec(deps: InstallDeps, options: { apiUrl?: string | undefined; apiKeyEnv?: boolean | undefined }): ServerSpec {
  const env: Record<string, string> = {};
  if (options.apiUrl !== undefined) env.INVOKER_API_URL = apiUrl(options.apiUrl);
  if (options.apiKeyEnv) {
    const key = deps.env.INVOKER_API_KEY?.trim();
    if (!key) {
      throw new AppError(
        'invalid_input',
        '--api-key-env copies INVOKER_API_KEY from this shell, but it is not set. Run: INVOKER_API_KEY=inv_… invoker-mcp install --client … --api-key-env',
      );
    }
    env.INVOKER_API_KEY = key;
  }
  return { command: deps.execPath, args: [deps.entryPath], env };
}

function formatOf(info: ClientInfo, deps: InstallDeps): FileFormat {
  const path = info.configPath({ platform: deps.platform, homedir: deps.homedir, appData: deps.env.APPDATA });
  return { path, rootKey: info.rootKey, jsonc: info.jsonc };
}

async function write(format: FileFormat, before: string | undefined, after: string, deps: InstallDeps): Promise<string | undefined> {
  const backup = before === undefined ? undefined : await backupConfigFile(format.path, deps.now());
  await writeConfigFileAtomic(format.path, after);
  return backup;
}

export async function install(args: string[], deps: InstallDeps): Promise<number> {
  const values = parse(args);
  if (values.help) {
    deps.out(INSTALL_USAGE);
    return 0;
  }
  const info = client(values.client);
  const spec = serverSpec(deps, { apiUrl: values['api-url'], apiKeyEnv: values['api-key-env'] });
  const entry = info.entry(spec);
  const format = formatOf(info, deps);

  if (values.print) {
    deps.err(`Add this to ${format.path} (invoker-mcp install --client ${info.id} does it for you):\n`);
    deps.out(`${JSON.stringify({ [info.rootKey]: { [SERVER_NAME]: entry } }, null, 2)}\n`);
    return 0;
  }

  const before = await readConfigFile(format.path);
  const result = setEntry(before ?? '', format, SERVER_NAME, entry);
  if (!result.changed) {
    deps.out(`${info.displayName} already has this "${SERVER_NAME}" entry in ${format.path}; nothing changed.\n`);
    return 0;
  }
  const backup = await write(format, before, result.text, deps);
  const verb = result.replaced ? `Replaced the existing "${SERVER_NAME}" entry in` : `Added "${SERVER_NAME}" to`;
  deps.out(`${verb} ${info.displayName}'s config ${format.path}${backup ? ` (backup: ${backup})` : ''}.\n`);
  deps.out(`Restart ${info.displayName} to load it. It runs ${spec.command} ${spec.args.join(' ')}.\n`);
  if (/[\\/]_npx[\\/]/.test(deps.entryPath)) {
    deps.err(
      'Note: this copy of invoker-mcp lives in npx\'s cache, which npm may clear. For a lasting path, run `npm install -g invoker-mcp` and then `invoker-mcp install` again.\n',
    );
  }
  if (!values['api-key-env'] && deps.env.INVOKER_API_KEY) {
    deps.err('INVOKER_API_KEY is set in this shell but was not written to the config; add --api-key-env to copy it.\n');
  }
  return 0;
}

export async function uninstall(args: string[], deps: InstallDeps): Promise<number> {
  const values = parse(args);
  if (values.help) {
    deps.out(INSTALL_USAGE);
    return 0;
  }
  if (values['api-url'] !== undefined || values['api-key-env'] || values.print) {
    throw new AppError('invalid_input', `uninstall takes only --client.\n${INSTALL_USAGE}`);
  }
  const info = client(values.client);
  const format = formatOf(info, deps);
  const before = await readConfigFile(format.path);
  const result = before === undefined ? ({ changed: false } as const) : removeEntry(before, format, SERVER_NAME);
  if (!result.changed) {
    deps.out(`${info.displayName} has no "${SERVER_NAME}" entry in ${format.path}; nothing changed.\n`);
    return 0;
  }
  const backup = await write(format, before, result.text, deps);
  deps.out(`Removed "${SERVER_NAME}" from ${format.path}${backup ? ` (backup: ${backup})` : ''}. Restart ${info.displayName} to apply it.\n`);
  return 0;
}

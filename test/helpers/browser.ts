// Real Chromium for end-to-end tests, driven by playwright-core, headless, with the flags that keep it
// off the (closed) network. Which Chromium: CHROMIUM_PATH, else a Chromium or Chrome the system has
// (on PATH; on macOS and Windows also where their installers put it), else the one the
// @sparticuz/chromium devDependency ships (Linux x64 and arm64; unpacked once into the temp folder).
// findChromium() runs once per `npm test`, in the global setup (test/setup/browser.ts), which hands
// the path to every test worker as CHROMIUM_PATH. Nothing is downloaded; each launch gets a fresh profile.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export interface FoundChromium {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

function installedPaths(): string[] {
  if (process.platform === 'darwin') {
    return ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium'].map((app) => join('/Applications', app));
  }
  if (process.platform === 'win32') {
    const roots = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    return roots.map((root) => join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  }
  return [];
}

function onPath(): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe'] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ON_PATH) for (const ext of exts) if (existsSync(join(dir, name + ext))) return join(dir, name + ext);
  }
  return undefined;
}

/** The Chromium to drive, or null (with the reason in launchBrowser's error) when there is none. */
export async function findChromium(): Promise<FoundChromium | null> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return { path: fromEnv, source: 'CHROMIUM_PATH' };
  const system = onPath() ?? installedPaths().find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return null;
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
  } catch {
    return null;
  }
}

export async function launchBrowser(): Promise<Browser> {
  // Set by the global setup; found here only when a test runs without it.
  const path = process.env.CHROMIUM_PATH ?? (await findChromium())?.path;
  if (!path || !existsSync(path)) {
    throw new Error(
      (path ? `CHROMIUM_PATH is ${path}, which does not exist. ` : 'No Chromium found. ') +
        'Set CHROMIUM_PATH to a Chromium or Chrome binary, or install one; on Linux x64/arm64 `npm ci` brings @sparticuz/chromium.',
    );
  }
  return chromium.launch({
    executablePath: path,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // *.localhost resolves to loopback in Chromium already; keep every other name off the network.
      '--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1',
    ],
  });
}

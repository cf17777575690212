// Opening the login page in the person's browser, and knowing when not to try: INVOKER_NO_BROWSER=1,
// or a Linux/BSD session without a display (SSH, containers, CI), where the URL is shown instead.
import type { Env } from '../config.js';

export function canOpenBrowser(env: Env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.INVOKER_NO_BROWSER === '1') return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** True when a browser was launched; never throws (the caller shows the URL either way). */
export async function openInBrowser(url: string): Promise<boolean> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    // A missing xdg-open surfaces as an async 'error'; the URL is in the result anyway.
    child.once('error', () => {});
    return true;
  } catch {
    return false;
  }
}

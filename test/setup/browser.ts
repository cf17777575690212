// Vitest global setup: finds the Chromium the browser suites drive, once per run (unpacking the
// @sparticuz/chromium one here, before any worker could race to do it), and hands it to every test
// worker as CHROMIUM_PATH. No Chromium at all is not an error here: the browser suites then fail
// with launchBrowser()'s message, the others run (test/helpers/browser.ts).
import { findChromium } from '../helpers/browser.js';

export default async function setup(): Promise<void> {
  const found = await findChromium();
  if (found) process.env.CHROMIUM_PATH = found.path;
}

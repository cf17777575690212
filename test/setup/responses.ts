// Vitest global setup: a fresh directory for the run's recorded HTTP answers (test/helpers/responses.ts),
// read by test/openapi/conformance.test.ts after every other file has run, removed at the end.
// INVOKER_TEST_RESPONSES=DIR keeps them in DIR instead (to look at what a run received).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORD_DIR_ENV } from '../helpers/responses.js';

export default function setup(): (() => void) | undefined {
  const kept = process.env[RECORD_DIR_ENV];
  if (kept) {
    mkdirSync(kept, { recursive: true });
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'invoker-responses-'));
  process.env[RECORD_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

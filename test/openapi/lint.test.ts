// The OpenAPI document through third-party checkers: Redocly CLI's `lint` with its recommended
// rules (0 errors; each warning it may give is one docs/API.md explains, and any other fails here)
// and swagger-parser's validation against the OpenAPI 3.1 schema. The document is the one
// GET /openapi.json serves, from the same function.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../packages/platform/src/server/openapi.js';
import { ROOT, runNode } from '../helpers/platform.js';

/** Warnings docs/API.md explains ("What the linter says"), each where it is expected. */
const EXPLAINED = [
  // The server URL is the instance's own public URL: localhost on a development machine.
  'no-server-example.com #/servers/0/url',
];

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer: string }>;
}

function redocly(args: string[]) {
  const cli = join(createRequire(join(ROOT, 'package.json')).resolve('@redocly/cli/package.json'), '..', 'bin', 'cli.js');
  // Tests talk to loopback only: no telemetry, no update check.
  return runNode([cli, ...args], { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' });
}

describe('the OpenAPI document through standard checkers', () => {
  let dir: string;
  let file: string;
  const doc = buildOpenApi('1.2.3', 'http://localhost:8787');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'invoker-openapi-'));
    file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc, null, 2));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('passes Redocly lint (recommended rules) with 0 errors, and only the warnings docs/API.md explains', async () => {
    const run = await redocly(['lint', file, '--format', 'json']);
    const { problems } = JSON.parse(run.stdout) as { problems: Problem[] };
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    const warnings = problems.filter((p) => p.severity === 'warn').map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    console.log(`[figures] Redocly lint: ${errors.length} errors, ${warnings.length} warnings (${warnings.join('; ')})`);
    expect(errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(warnings.sort()).toEqual([...EXPLAINED].sort());
  });

  it('is a valid OpenAPI 3.1 document to swagger-parser, every $ref resolving', async () => {
    const parsed = (await SwaggerParser.validate(structuredClone(doc) as never)) as { openapi: string; paths: object };
    expect(parsed.openapi).toBe('3.1.0');
    expect(Object.keys(parsed.paths).length).toBe(Object.keys(doc.paths as object).length);
  });
});

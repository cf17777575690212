// server.json for the official MCP registry: the shape of the 2025-12-11 schema for what we use
// (strict, so a misspelt field fails here rather than at publish time), and the facts that must
// agree with package.json and the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL } from '../../packages/invoker-mcp/src/config.js';
import { MCP_PACKAGE, ROOT } from '../helpers/platform.js';

const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const notARange = (v: string) => v !== 'latest' && !/[\^~<>=*x]|\s/.test(v.replace(/-[0-9A-Za-z.-]+$/, ''));

const keyValueInput = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  description: z.string().min(10),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
  value: z.string().optional(),
});

const npmPackage = z.strictObject({
  registryType: z.literal('npm'),
  registryBaseUrl: z.literal('https://registry.npmjs.org').optional(),
  identifier: z.string().min(1),
  version: z.string().min(1).refine(notARange, 'a specific version, not a range or "latest"'),
  runtimeHint: z.string().optional(),
  transport: z.strictObject({ type: z.literal('stdio') }),
  runtimeArguments: z.array(z.unknown()).optional(),
  packageArguments: z.array(z.unknown()).optional(),
  environmentVariables: z.array(keyValueInput).optional(),
  fileSha256: z.string().regex(/^[a-f0-9]{64}$/).optional(),
});

const serverJson = z.strictObject({
  $schema: z.literal(SCHEMA_URL),
  name: z.string().min(3).max(200).regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(100),
  version: z.string().max(255).refine(notARange, 'a specific version, not a range'),
  websiteUrl: z.url().optional(),
  repository: z.strictObject({ url: z.url(), source: z.string(), id: z.string().optional(), subfolder: z.string().optional() }).optional(),
  packages: z.array(npmPackage).min(1),
});

const read = (file: string) => JSON.parse(readFileSync(join(MCP_PACKAGE, file), 'utf8')) as Record<string, unknown>;

describe('server.json (official MCP registry)', () => {
  const server = read('server.json');
  const pkg = read('package.json') as { name: string; version: string; mcpName: string };

  it('matches the registry schema shape', () => {
    const result = serverJson.safeParse(server);
    expect(result.success ? 'valid' : z.prettifyError(result.error)).toBe('valid');
  });

  it('agrees with package.json: mcpName, package name and version', () => {
    const parsed = serverJson.parse(server);
    expect(parsed.name).toBe(pkg.mcpName);
    expect(parsed.version).toBe(pkg.version);
    expect(parsed.packages).toHaveLength(1);
    expect(parsed.packages[0]).toMatchObject({ identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
  });

  it('describes the environment: the key is a secret, the URL defaults to the hosted API', () => {
    const vars = serverJson.parse(server).packages[0]?.environmentVariables ?? [];
    const byName = new Map(vars.map((v) => [v.name, v]));
    expect(byName.get('INVOKER_API_KEY')).toMatchObject({ isSecret: true, isRequired: false });
    expect(byName.get('INVOKER_API_URL')).toMatchObject({ isSecret: false, default: DEFAULT_API_URL });
    for (const v of vars) if (v.name !== 'INVOKER_API_KEY') expect(v.isSecret).toBe(false);
  });

  it('lists only variables the README documents', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const v of serverJson.parse(server).packages[0]?.environmentVariables ?? []) expect(readme).toContain(`\`${v.name}\``);
  });
});

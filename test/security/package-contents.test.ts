// Dependency hygiene, the part that runs offline: what `npm pack` would publish of either package holds no tests,
// fixtures, environment files, keys or secrets. (test/e2e/packed-tarball.test.ts checks the file list
// against the allowed roots; this reads every packed file's content.) `npm audit --omit=dev` needs the
// registry's advisory endpoint: see docs/SECURITY.md for how and where it runs.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isWellFormedApiKey } from '../../packages/invoker-mcp/src/contract/api-key.js';
import { ROOT } from '../helpers/platform.js';

const run = promisify(execFile);

describe('published package contents', () => {
  it('hold no tests, fixtures, env files, keys or secrets', async () => {
    const env = { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' };
    // --ignore-scripts: `npm test` has just built dist/; rebuilding here would race the other suites.
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--workspaces'], { cwd: ROOT, env });
    // Both packages (invoker-mcp and @invoker-mcp/platform), each file named from the repository root.
    const packs = JSON.parse(stdout) as Array<{ name: string; files: Array<{ path: string }> }>;
    expect(packs.map((p) => p.name).sort()).toEqual(['@invoker-mcp/platform', 'invoker-mcp']);
    const dirOf = (name: string) => (name === 'invoker-mcp' ? 'packages/invoker-mcp' : 'packages/platform');
    const files = packs.flatMap((p) => p.files.map((f) => `${dirOf(p.name)}/${f.path}`));
    expect(files.length).toBeGreaterThan(20);

    const badPaths = files.filter((p) =>
      /^packages\/[^/]+\/(.*\/)?(test|tests|__tests__|fixtures?|e2e|\.ci)\//.test(p) ||
      /\.(test|spec)\.[cm]?[jt]s$/.test(p) ||
      /(^|\/)\.env(\.|$)|\.(pem|key|p12|pfx|sqlite|db)$|(^|\/)(credentials|secrets?)\.json$|(^|\/)\.npmrc$|\.tgz$/.test(p),
    );
    expect(badPaths).toEqual([]);

    const findings: string[] = [];
    for (const path of files) {
      const text = await readFile(join(ROOT, path), 'utf8');
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) findings.push(`${path}: private key`);
      for (const m of text.matchAll(/inv_[0-9A-Za-z]{38}/g)) if (isWellFormedApiKey(m[0])) findings.push(`${path}: a well-formed Invoker API key`);
      if (/\b(AKIA[0-9A-Z]{16}|ghp_[0-9A-Za-z]{36}|npm_[0-9A-Za-z]{36}|sk-[0-9A-Za-z]{32,})\b/.test(text)) findings.push(`${path}: a cloud or registry token`);
      // A build machine's paths in the output would say the package was built with sources or maps.
      if (/\/work\/wt-|\/home\/[a-z]+\/|\/Users\/[A-Za-z]+\//.test(text)) findings.push(`${path}: a local file path`);
    }
    console.log(`[figures] package contents: ${files.length} files scanned, ${findings.length} findings`);
    expect(findings).toEqual([]);
  });
});

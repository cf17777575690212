import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../config.js';
import type { InvokerApi } from '../../contract/invoker-api.js';
import type { ToolContext } from '../define-tool.js';
import { exportSubmissionsTool } from './export-submissions.js';

describe('export_submissions', () => {
  it('writes a large export to a private file and links it as a resource_link', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'invoker-export-'));
    const csv = `id,email\r\n${Array.from({ length: 3000 }, (_, i) => `sub_${i},visitor${i}@example.com`).join('\r\n')}\r\n`;
    const ctx: ToolContext = {
      config: { ...parseClientConfig({ INVOKER_CONFIG_DIR: configDir }) },
      api: async () => ({ exportSubmissions: async () => csv }) as unknown as InvokerApi,
      currentKey: async () => null,
    };
    const result = await exportSubmissionsTool.handler({ deployment_id: 'dep_abc' }, ctx);
    expect(result.structured).toMatchObject({ rows: 3000 });
    const [link] = result.links ?? [];
    expect(link).toMatchObject({ name: 'dep_abc.csv', mimeType: 'text/csv' });
    expect(fileURLToPath(link?.uri ?? '')).toBe(result.structured?.file);
    expect(await readFile(fileURLToPath(link?.uri ?? ''), 'utf8')).toBe(csv);
  });
});

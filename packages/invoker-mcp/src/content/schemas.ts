// Zod schemas of the content tools' inputs and results: what a page and block props look like
// on the wire. Kept with the content they describe so the tools only wire them up.
import { z } from 'zod';

export const BlockPropsSchema = z
  .record(z.string(), z.unknown())
  .describe('By name (list_blocks); defaults for the rest');

export const PageSchema = z.object({
  title: z.string().min(1).max(200),
  description: z.string().max(500).optional(),
  favicon: z.string().max(16).optional().describe('An emoji'),
  lang: z.string().max(35).optional().describe('e.g. "de"; default "en"'),
});

export const HtmlResultSchema = z.object({ html: z.string().describe('One complete, self-contained HTML document') });

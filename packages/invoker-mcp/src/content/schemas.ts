// Zod schemas of the content tools' inputs and results: what a page and block props look like
// on the wire. Kept with the content they describe so the tools only wire them up.
import { z } from 'zod';

export const BlockPropsSchema = z
  .record(z.string(), z.unknown())
  .describe('Prop values by name; omitted props use their defaults (list_blocks shows names, types and defaults)');

export const PageSchema = z.object({
  title: z.string().min(1).max(200).describe('Page title: browser tab and search results'),
  description: z.string().max(500).optional().describe('One-sentence meta description'),
  favicon: z.string().max(16).optional().describe('One emoji drawn as the favicon, e.g. "🚀"'),
  lang: z.string().max(35).optional().describe('Language tag of the page text, e.g. "en" (default), "de", "pt-BR"'),
});

export const HtmlResultSchema = z.object({ html: z.string().describe('One complete, self-contained HTML document') });

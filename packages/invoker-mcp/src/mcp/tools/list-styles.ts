import { z } from 'zod';
import { STYLES } from '../../content/styles.js';
import { defineTool } from '../define-tool.js';

export const listStylesTool = defineTool({
  name: 'list_styles',
  title: 'List styles',
  toolset: 'content',
  description:
    'Style presets (all WCAG AA) for use_template and compose_page.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    styles: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string(),
        colors: z.record(z.string(), z.string()),
        fonts: z.object({ body: z.string(), heading: z.string() }),
        type_scale: z.number(),
        spacing_rem: z.number(),
        radius_px: z.number(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler() {
    const styles = STYLES.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      colors: { ...s.colors },
      fonts: { ...s.font },
      type_scale: s.typeScale,
      spacing_rem: s.space,
      radius_px: s.radius,
    }));
    return { text: styles.map((s) => `- ${s.id}: ${s.description}`).join('\n'), structured: { styles } };
  },
});

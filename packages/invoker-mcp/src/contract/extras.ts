// HTTP contract of the hosted product's other features (SPEC section 14): counters and site
// passwords. Shared by the server routes, the API client and the MCP tools.
import { z } from 'zod';

/** A counter's name, as in `/_counter/{name}` on a site host. */
export const COUNTER_NAME = /^[a-z0-9_-]{1,40}$/;
export const CounterNameSchema = z.string().regex(COUNTER_NAME, 'Counter names are 1 to 40 characters of a-z, 0-9, _ and -.');

/**
 * Under the `/s/{slug}/` fallback a page runs sandboxed (an opaque origin) and its requests carry no
 * cookies, so a password-protected site's counters cannot see the password's cookie there. Its pages
 * then carry a pass to its counters in `<meta name="invoker-counter-pass" content="…">`, which a
 * counter request sends as `?pass=…` (the content library's counter block does; its script spells
 * these names out, content/ imports nothing from here).
 */
export const COUNTER_PASS_META = 'invoker-counter-pass';
export const COUNTER_PASS_PARAM = 'pass';

/** What a site host answers for `GET /_counter/{name}` and `POST /_counter/{name}/increment`. */
export const CounterValueSchema = z.object({ name: z.string(), value: z.number().int() });
export type CounterValue = z.infer<typeof CounterValueSchema>;

export const CounterSchema = z.object({
  name: z.string(),
  value: z.number().int(),
  created_at: z.string(),
  updated_at: z.string().describe('The last increment or reset'),
});
export type Counter = z.infer<typeof CounterSchema>;

export const CounterListSchema = z.object({ counters: z.array(CounterSchema) });
export type CounterList = z.infer<typeof CounterListSchema>;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

export const SitePasswordRequestSchema = z
  .object({ password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX).describe(`At least ${PASSWORD_MIN} characters; visitors type it once per browser`) })
  .strict();
export type SitePasswordRequest = z.infer<typeof SitePasswordRequestSchema>;

export const SitePasswordStatusSchema = z.object({
  protected: z.boolean().describe('Every path of the site asks for the password'),
});
export type SitePasswordStatus = z.infer<typeof SitePasswordStatusSchema>;

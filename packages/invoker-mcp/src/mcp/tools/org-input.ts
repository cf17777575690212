// The optional `org` argument every org-acting tool takes (SPEC section 8).
import { z } from 'zod';

export const orgInput = z
  .string()
  .optional()
  .describe('Organization id (org_…) to act on: your key\'s own org (the default, also written "c") or one of its sub-orgs from list_orgs');

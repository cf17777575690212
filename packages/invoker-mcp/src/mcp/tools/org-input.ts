// The optional `org` argument every org-acting tool takes (SPEC section 8).
import { z } from 'zod';

export const orgInput = z.string().optional().describe('Sub-org id');

// Dashboard sessions (SPEC section 4): a signed-in browser, known by a random token the store keeps
// only as its SHA-256, with a per-session CSRF token for its forms and the org selected in the UI
// (what `c` means there), always one the user reaches (orgs.ts).
import { randomBytes } from 'node:crypto';
import { AppError } from 'invoker-mcp/errors.js';
import type { Org } from 'invoker-mcp/contract/account.js';
import type { DashboardSessionRecord } from '../store/store.js';
import { randomnessOf, type ServiceDeps } from './deps.js';
import { sha256Hex } from './login-secrets.js';
import type { OrgsService } from './orgs.js';

export type DashboardSessionsDeps = Pick<ServiceDeps, 'store' | 'now' | 'random'>;

const SESSION_TTL_MS = 24 * 3600_000;

export type DashboardSession = DashboardSessionRecord;

/** A signed-in browser: its session, the org it acts on, and every org it may switch to. */
export interface DashboardView {
  session: DashboardSession;
  org: Org;
  orgs: Org[];
}

export type DashboardSessionsService = ReturnType<typeof dashboardSessionsService>;

export function dashboardSessionsService(deps: DashboardSessionsDeps, orgs: OrgsService) {
  return {
    /** A new session for the user acting on orgId; the token (for the cookie) exists only in this answer. */
    async start(userId: string, orgId: string): Promise<{ token: string; maxAgeSeconds: number }> {
      const token = randomBytes(32).toString('base64url');
      const now = deps.now();
      await deps.store.createDashboardSession({
        id: randomnessOf(deps).id('ses'),
        tokenHash: sha256Hex(token),
        userId,
        orgId,
        csrfToken: randomBytes(24).toString('base64url'),
        now: now.toISOString(),
        expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      });
      return { token, maxAgeSeconds: SESSION_TTL_MS / 1000 };
    },

    /** The live session a cookie's token names, with its orgs; null when there is none. */
    async find(token: string): Promise<DashboardView | null> {
      const session = await deps.store.findDashboardSession(sha256Hex(token), deps.now().toISOString());
      if (!session) return null;
      const reachable = await orgs.reachableByUser(session.userId);
      // The selected org may be gone (a deleted sub-org): the user's first org takes its place.
      const org = reachable.find((o) => o.id === session.orgId) ?? reachable[0];
      if (!org) throw new AppError('not_found', 'Your account has no organization. Sign in again to create one.');
      return { session, org, orgs: reachable };
    },

    /** Selects another org the user reaches; out of reach is not_found, as on the API. */
    async selectOrg(session: DashboardSession, orgId: string): Promise<Org> {
      const org = await orgs.reachForUser(session.userId, orgId);
      await deps.store.setDashboardSessionOrg(session.id, org.id);
      return org;
    },

    end: (session: DashboardSession): Promise<void> => deps.store.deleteDashboardSession(session.id),
  };
}

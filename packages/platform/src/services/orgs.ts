// Organizations and reach (SPEC section 4). An org is reached from a home: a key's home is the org it
// was created in, a dashboard user's homes are the top-level orgs they own. From its home a caller
// reaches that org and, when it is a parent, each of its direct sub-orgs, and nothing else: not a
// sibling, not a parent. `c` means the home (for a key) or the org selected in the UI (dashboard).
// Anything out of reach is not_found exactly like an org that does not exist, so no caller can learn
// which org ids are real.
import type { Org } from 'invoker-mcp/contract/account.js';
import type { KeyPrincipal, OrgRecord } from '../store/store.js';
import type { ServiceDeps } from './deps.js';
import { failure } from './next-steps.js';

export type { OrgRecord };

export type OrgsDeps = Pick<ServiceDeps, 'store' | 'now'>;

/** Only real ids in canonical form; `C`, ` c`, encodings and the like never alias anything. */
const ORG_ID = /^org_[0-9A-Za-z]{16}$/;

export function orgJson(org: OrgRecord): Org {
  return { id: org.id, name: org.name, parent_id: org.parentId, created_at: org.createdAt };
}

const orgNotFound = () => failure('not_found', 'Organization not found.', 'find_org');

export type OrgsService = ReturnType<typeof orgsService>;

export function orgsService(deps: OrgsDeps) {
  return {
    /** The org a key may act on for `c` or an org id; not_found when it is out of reach. */
    async reach(principal: KeyPrincipal, org: string): Promise<OrgRecord> {
      if (org === 'c' || org === principal.org.id) return principal.org;
      if (!ORG_ID.test(org)) throw orgNotFound();
      const found = await deps.store.getOrg(org);
      // One level: a parent's key reaches its direct children; a child never reaches up or sideways.
      if (!found || found.parentId !== principal.org.id) throw orgNotFound();
      return found;
    },

    /** Every org a dashboard user reaches: each top-level org they own, followed by its sub-orgs. */
    async reachableByUser(userId: string): Promise<Org[]> {
      return (await deps.store.listOrgsForUser(userId)).map(orgJson);
    },

    /** The org a dashboard user may act on (a switch of the selected org); not_found when out of reach. */
    async reachForUser(userId: string, orgId: string): Promise<Org> {
      const org = (await deps.store.listOrgsForUser(userId)).find((o) => o.id === orgId);
      if (!org) throw orgNotFound();
      return orgJson(org);
    },

    /** The org's direct sub-organizations (one level: a sub-org has none). */
    async listSubOrgs(orgId: string): Promise<{ orgs: Org[] }> {
      return { orgs: (await deps.store.listSubOrgs(orgId)).map(orgJson) };
    },

    /** A sub-organization of a top-level org, owned by the user who makes it. */
    async createSubOrg(parentId: string, name: string, ownerUserId: string): Promise<Org> {
      const parent = await deps.store.getOrg(parentId);
      if (!parent) throw orgNotFound();
      if (parent.parentId !== null) {
        throw failure('invalid_input', 'Sub-organizations cannot have sub-organizations of their own.', 'use_parent_org');
      }
      return orgJson(await deps.store.createSubOrg({ parentId, name, ownerUserId, now: deps.now().toISOString() }));
    },

    /** Deletes one of the org's sub-organizations with its keys, sites and submissions. */
    async deleteSubOrg(parentId: string, subOrgId: string): Promise<void> {
      if (!(await deps.store.deleteSubOrg(parentId, subOrgId))) throw failure('not_found', 'Sub-organization not found.', 'find_sub_org');
    },
  };
}


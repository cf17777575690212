// Proof of work for forms with `form_protection: "pow"` (SPEC section 13): the ALTCHA protocol
// through altcha-lib, keyed by INVOKER_SECRET (purpose 'pow', so any instance verifies what another
// issued). A challenge names its site and expires; a solution is good once (the store keeps spent
// challenges until they expire), so a bot must do the work for every post.
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import { AppError } from 'invoker-mcp/errors.js';
import type { ServiceDeps } from './deps.js';

export type ProofOfWorkDeps = Pick<ServiceDeps, 'store' | 'now' | 'secret'>;

/** The form field that carries the solution (the ALTCHA widget's name for it). */
export const POW_FIELD = 'altcha';
/** Numbers to search: about a quarter of a second of SHA-256 in a browser, on average half that. */
const MAX_NUMBER = 50_000;
const TTL_MS = 10 * 60 * 1000;

function refused(problem: string): AppError {
  return new AppError('forbidden', `${problem} This form is protected by proof of work: submit it from its page with JavaScript on (the page solves a challenge from GET /submit/{deploy_id}/challenge and sends it as the "${POW_FIELD}" field).`);
}

export function proofOfWork(deps: ProofOfWorkDeps) {
  const hmacKey = () => deps.secret.key('pow').toString('base64url');
  return {
    async challenge(siteId: string) {
      const site = await deps.store.findSiteById(siteId);
      if (!site) throw new AppError('not_found', 'Deployment not found: this form points at a site that no longer exists.');
      return createChallenge({ hmacKey: hmacKey(), maxnumber: MAX_NUMBER, expires: new Date(deps.now().getTime() + TTL_MS), params: { site: site.id } });
    },

    /** Throws 403 unless `payload` solves an unspent, unexpired challenge issued for this site. */
    async check(siteId: string, payload: string | undefined): Promise<void> {
      if (!payload) throw refused('No proof-of-work solution was sent.');
      let decoded: { challenge?: unknown; salt?: unknown };
      try {
        decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as typeof decoded;
      } catch {
        throw refused('The proof-of-work solution is not readable.');
      }
      if (typeof decoded.challenge !== 'string' || typeof decoded.salt !== 'string') throw refused('The proof-of-work solution is not readable.');
      const verified = await verifySolution(payload, hmacKey(), true).catch(() => false);
      const params = extractParams(payload);
      if (!verified || params.site !== siteId) throw refused('The proof-of-work solution is wrong, expired, or for another form.');
      const expires = Number(params.expires);
      const expiresAt = new Date(Number.isFinite(expires) ? expires * 1000 : deps.now().getTime() + TTL_MS).toISOString();
      if (!(await deps.store.spendPow(decoded.challenge, expiresAt))) throw refused('This proof-of-work solution was used already.');
    },
  };
}

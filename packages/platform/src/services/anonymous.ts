// Anonymous deploys (SPEC section 14): off unless the operator turns them on. A deploy without a key
// makes a live site in the holder org (ANONYMOUS_ORG_ID) that lives INVOKER_ANONYMOUS_TTL_SECONDS
// (a day), at most INVOKER_ANONYMOUS_DEPLOYS_PER_HOUR per client IP, and answers with a claim token
// shown that once and stored only as its SHA-256 hash. A claim with a key moves the site into the
// key's org and ends its expiry, once. Past its expiry a site answers 404 everywhere at once; the
// job deletes it (and a deploy of its slug does, first).
import { randomBytes } from 'node:crypto';
import { AppError } from 'invoker-mcp/errors.js';
import type { AnonymousSite, DeployRequest, Site } from 'invoker-mcp/contract/sites.js';
import type { RateLimiter } from '../rate-limiter.js';
import { siteLimitReached } from '../store/shared.js';
import { ANONYMOUS_ORG_ID, type SiteRecord } from '../store/store.js';
import { anonymousSettingsOf, type ServiceAdapters, type ServiceDeps } from './deps.js';
import { sameHash, sha256Hex } from './login-secrets.js';
import { siteJson, type SitesService } from './sites.js';

export type AnonymousDeps = Pick<ServiceDeps, 'store' | 'urls' | 'limits' | 'now' | 'anonymous'>;

/** Claim tokens: 32 random bytes, prefixed so a person (and a secret scanner) can tell what it is. */
const TOKEN_PREFIX = 'clm_';
/** Expired sites deleted per job round (the rest wait for the next one). */
const EXPIRED_PER_ROUND = 100;

/** Whether a site is past its expiry (only unclaimed anonymous sites have one). */
export function siteExpired(site: Pick<SiteRecord, 'expiresAt'>, now: () => Date): boolean {
  // The clock is read only for an anonymous site: every page request of every other site asks this.
  return site.expiresAt !== null && site.expiresAt <= now().toISOString();
}

/** Where a person keeps an anonymous site: the dashboard's claim page (never a site host). */
export function claimUrl(deps: Pick<ServiceDeps, 'urls'>, siteId: string, token: string): string {
  return claimPageUrl(deps, siteId, '', token);
}

/**
 * Where the sign-in code mailed from the claim page links: back to that claim's code step, so the
 * sign-in the person started ends with the site kept, not on the dashboard's own sign-in page.
 */
export function claimCodeUrl(deps: Pick<ServiceDeps, 'urls'>, siteId: string, token: string): string {
  return claimPageUrl(deps, siteId, '/code', token);
}

function claimPageUrl(deps: Pick<ServiceDeps, 'urls'>, siteId: string, step: string, token: string): string {
  return `${deps.urls.publicUrl}/dashboard/claim/${encodeURIComponent(siteId)}${step}?token=${encodeURIComponent(token)}`;
}

const gone = () =>
  new AppError(
    'not_found',
    'No anonymous site with that id is waiting to be claimed: it expired, was deleted, or was never an anonymous deploy. Deploy it again.',
  );

export type AnonymousService = ReturnType<typeof anonymousService>;

export function anonymousService(deps: AnonymousDeps, adapters: Pick<ServiceAdapters, 'rateLimiters'>, sites: SitesService) {
  const settings = () => anonymousSettingsOf(deps);
  let limiter: RateLimiter | undefined;
  /** Per client IP per hour; made on first use, so a server that never deploys anonymously holds none. */
  const perIp = (): RateLimiter =>
    (limiter ??= adapters.rateLimiters({ name: 'anonymous-deploys', limit: settings().perIpPerHour, windowMs: 3_600_000, now: () => deps.now().getTime() }));

  /** The claim the token opens, or why it cannot (in this order: unknown, wrong token, claimed, expired). */
  const claimable = async (siteId: string, token: string) => {
    const claim = await deps.store.findAnonymousClaim(siteId);
    if (!claim) throw gone();
    if (!sameHash(claim.tokenHash, sha256Hex(token))) {
      throw new AppError('forbidden', 'That claim token does not belong to this site. Send the claim_token its anonymous deploy answered with.');
    }
    if (claim.claimedAt !== null) {
      throw new AppError('conflict', 'This site was claimed already: a claim token works once. If it was you, the site is in that organization (list_deploys).');
    }
    if (claim.expiresAt === null || claim.expiresAt <= deps.now().toISOString()) throw gone();
    return { tokenHash: claim.tokenHash, expiresAt: claim.expiresAt };
  };

  return {
    /** Whether this server takes deploys without a key at all (INVOKER_ANONYMOUS_DEPLOYS=1). */
    enabled: () => settings().enabled,

    /**
     * A deploy without a key: a new live site that expires, with its claim token (in the clear only
     * here). The address's budget is spent before `readBody` reads the request.
     */
    async deploy(ip: string, readBody: () => Promise<DeployRequest>): Promise<AnonymousSite> {
      const s = settings();
      if (!s.enabled) throw new AppError('unauthenticated', 'Missing API key. Send "Authorization: Bearer inv_…" (create a key with `invoker-mcp login`).');
      const decision = await perIp().hit(`ip:${ip}`);
      if (!decision.allowed) {
        throw new AppError(
          'rate_limited',
          `Too many anonymous deploys from your address (this server allows ${s.perIpPerHour} an hour). Wait ${decision.resetSeconds} seconds, or log in (invoker-mcp login) to deploy with a key.`,
          { retryAfterSeconds: decision.resetSeconds },
        );
      }
      const body = await readBody();
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const expiresAt = new Date(deps.now().getTime() + s.ttlSeconds * 1000).toISOString();
      // Always live: nobody could publish it later without claiming it first.
      const site = await sites.deploy(ANONYMOUS_ORG_ID, { ...body, publish: true }, { claimTokenHash: sha256Hex(token), expiresAt, ipAddress: ip });
      return { ...site, claim_token: token, claim_url: claimUrl(deps, site.id, token), expires_at: expiresAt };
    },

    /** The anonymous site a token may claim now, with its expiry; the claim's refusal otherwise (the claim page asks first). */
    async claimable(siteId: string, token: string): Promise<{ site: Site; expiresAt: string }> {
      const { expiresAt } = await claimable(siteId, token);
      const site = await deps.store.findSiteById(siteId);
      if (!site) throw gone();
      return { site: siteJson(deps.urls, site), expiresAt };
    },

    /** Moves an anonymous site into the org, once, and ends its expiry. */
    async claim(orgId: string, siteId: string, token: string): Promise<Site> {
      const claim = await claimable(siteId, token);
      const now = deps.now().toISOString();
      const claimed = await deps.store.claimAnonymousSite({ siteId, tokenHash: claim.tokenHash, orgId, maxSites: deps.limits.maxSites, now });
      if (claimed === 'limit') throw siteLimitReached(deps.limits.maxSites);
      // Another claim (or the expiry) got there between the check and the write.
      if (claimed === 'taken') throw new AppError('conflict', 'This site was claimed already: a claim token works once.');
      return siteJson(deps.urls, claimed);
    },
  };
}

/** The job: anonymous sites past their expiry are deleted with everything in them. */
export function anonymousExpiryJob(deps: Pick<ServiceDeps, 'store' | 'now'>) {
  return {
    /** Returns how many sites were deleted. */
    async run(): Promise<number> {
      return (await deps.store.deleteExpiredSites(deps.now().toISOString(), EXPIRED_PER_ROUND)).length;
    },
  };
}

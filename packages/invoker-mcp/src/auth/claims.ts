// Claim tokens of anonymous deploys (SPEC section 14), kept beside credentials.json until a login
// can use them: $INVOKER_CONFIG_DIR/claims/{site id}.json, directory 0700, each file 0600 written
// atomically like the credentials. One file per site, so MCP processes keeping tokens at once never
// overwrite each other's. Right after a login (the tool, the CLI, or the background poll that saves
// the key) every kept token of that server is claimed with the new key and its file removed; so is
// one the server no longer knows (claimed elsewhere, expired), while one that failed for a reason
// that may pass (network, rate limit) stays for the next login.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiClient, type HttpSend } from '../client/api-client.js';
import type { AnonymousSite, DeployRequest } from '../contract/sites.js';
import { isAppError } from '../errors.js';
import { writeSecretFile } from './credentials.js';

const KeptClaimSchema = z.object({
  api_url: z.string(),
  site_id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  slug: z.string(),
  url: z.string(),
  claim_token: z.string(),
  expires_at: z.string(),
});
export type KeptClaim = z.infer<typeof KeptClaimSchema>;

/** A site a login kept, as the login's answer names it. */
export interface ClaimedSite {
  id: string;
  slug: string;
  url: string;
}

export function claimsDir(configDir: string): string {
  return join(configDir, 'claims');
}

function claimFile(configDir: string, siteId: string): string {
  return join(claimsDir(configDir), `${siteId}.json`);
}

/** Keeps an anonymous site's claim token until the next login; returns the file. */
export async function keepClaim(configDir: string, claim: KeptClaim): Promise<string> {
  const file = claimFile(configDir, KeptClaimSchema.parse(claim).site_id);
  await writeSecretFile(file, `${JSON.stringify(claim, null, 2)}\n`);
  return file;
}

/** The kept claims for this API URL that have not expired; unreadable and expired files are removed. */
export async function keptClaims(configDir: string, apiUrl: string, now: number): Promise<KeptClaim[]> {
  let names: string[];
  try {
    names = await readdir(claimsDir(configDir));
  } catch {
    return [];
  }
  const kept: KeptClaim[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(claimsDir(configDir), name);
    let claim: KeptClaim | null = null;
    try {
      claim = KeptClaimSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      // Half a file cannot happen (atomic writes); anything else unreadable is worth nothing.
    }
    if (!claim || Date.parse(claim.expires_at) <= now) {
      await rm(file, { force: true });
      continue;
    }
    // Another server's token is never sent here; it waits for a login there.
    if (claim.api_url === apiUrl) kept.push(claim);
  }
  return kept;
}

/** Claims every kept token of this server with the key; the sites kept, and the files done with removed. */
export async function claimKeptSites(
  options: { configDir: string; apiUrl: string; apiKey: string; userAgent: string; send?: HttpSend | undefined; now?: number },
): Promise<ClaimedSite[]> {
  const claims = await keptClaims(options.configDir, options.apiUrl, options.now ?? Date.now());
  if (claims.length === 0) return [];
  const api = new ApiClient({ apiUrl: options.apiUrl, apiKey: options.apiKey, userAgent: options.userAgent, maxRetries: 0, ...(options.send ? { send: options.send } : {}) });
  const claimed: ClaimedSite[] = [];
  for (const claim of claims) {
    try {
      const site = await api.claimDeploy(claim.site_id, claim.claim_token);
      claimed.push({ id: site.id, slug: site.slug, url: site.url });
    } catch (e) {
      // Claimed already (perhaps on the claim page), expired, or a token the server refuses: done with.
      const final = isAppError(e) && (e.code === 'not_found' || e.code === 'conflict' || e.code === 'invalid_input' || (e.code === 'forbidden' && /claim token/i.test(e.message)));
      if (!final) continue;
    }
    await rm(claimFile(options.configDir, claim.site_id), { force: true });
  }
  return claimed;
}

/**
 * A deploy without a key (the deploy tool's and `invoker-mcp deploy`'s, SPEC section 14): the live
 * site that expires unless kept, with its claim token kept for the next login (the file, or null when
 * it could not be written: the claim_url works without it); null when the server takes no anonymous
 * deploys.
 */
export async function deployAnonymously(
  options: { configDir: string; apiUrl: string; userAgent: string; send?: HttpSend | undefined },
  body: DeployRequest,
): Promise<{ site: AnonymousSite; keptIn: string | null } | null> {
  const client = new ApiClient({ apiUrl: options.apiUrl, userAgent: options.userAgent, ...(options.send ? { send: options.send } : {}) });
  const site = await client.deployAnonymously(body);
  if (!site) return null;
  const keptIn = await keepClaim(options.configDir, {
    api_url: options.apiUrl,
    site_id: site.id,
    slug: site.slug,
    url: site.url,
    claim_token: site.claim_token,
    expires_at: site.expires_at,
  }).catch(() => null);
  return { site, keptIn };
}

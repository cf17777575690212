// Custom domains (SPEC section 15): a site's own host names, with the rules of who may hold one.
// A domain is added pending, with a token; it is verified by a DNS TXT record `_invoker.{domain}`
// holding `invoker-verification={token}`, or by the HTTP token: the platform fetches
// http://{domain}/.well-known/invoker-verification/{token} through the outbound guard and expects the
// token back, which the platform itself answers for a pending domain once the domain's DNS points at
// it (or the owner's own server answers). Plain http, like ACME's HTTP-01: no certificate can exist
// for the name before it is verified (Caddy's ask says no until then). Several orgs may hold one
// domain pending; the first to verify it holds it, and every later attempt is a 409 until it is removed.
//
// Caddy's on-demand TLS asks allowsCertificate() before it gets a certificate: yes for verified
// domains and for the hosts of existing sites and previews on the sites domain, no for anything else.
import { randomBytes } from 'node:crypto';
import { resolveTxt as systemResolveTxt } from 'node:dns/promises';
import { AppError } from 'invoker-mcp/errors.js';
import type { Domain, DomainList, DnsRecord } from 'invoker-mcp/contract/domains.js';
import { DEFAULT_DOMAIN_SETTINGS, type DomainSettings } from '../config.js';
import { guardedFetch } from '../outbound-fetch.js';
import type { DomainRecord, DomainVerification, SiteRecord } from '../store/store.js';
import type { ServiceDeps } from './deps.js';
import { siteNotFound } from './next-steps.js';
import { classifyHost, isDomainName, sitesDomainName } from './urls.js';

export type DomainsDeps = Pick<ServiceDeps, 'store' | 'urls' | 'now' | 'outbound' | 'domains' | 'resolveTxt'>;

/** The path the HTTP token is answered at, on the domain itself. */
export const CHALLENGE_PATH = '/.well-known/invoker-verification/';
const TOKEN_SHAPE = /^[a-f0-9]{32}$/;
/** The HTTP check: a token is 32 characters, so a small answer is plenty; a slow one is no answer. */
const CHECK_TIMEOUT_MS = 5_000;
const CHECK_MAX_BYTES = 512;

type Check = NonNullable<Domain['checks']>[number];

function settingsOf(deps: Pick<ServiceDeps, 'domains'>): DomainSettings {
  return { ...DEFAULT_DOMAIN_SETTINGS, ...deps.domains };
}

const txtName = (domain: string) => `_invoker.${domain}`;
const txtValue = (token: string) => `invoker-verification=${token}`;

function httpTokenUrl(domain: string, token: string, port: number): string {
  return `http://${domain}${port === 80 ? '' : `:${port}`}${CHALLENGE_PATH}${token}`;
}

function held(domain: string): AppError {
  return new AppError('conflict', `${domain} is verified by another site already, and serves that one. Remove it there first, or add another name.`);
}

/** The name as it is stored: lower case, no trailing dot, IDNs as punycode; a 400 naming the rule it breaks. */
export function normalizeDomain(raw: string, urls: ServiceDeps['urls']): string {
  const text = raw.trim().toLowerCase().replace(/\.$/, '');
  let name = text;
  // Unicode names (IDNs) become their punycode spelling, as DNS and TLS know them.
  if (/[^\x00-\x7f]/.test(text)) {
    try {
      name = new URL(`http://${text}/`).hostname;
    } catch {
      name = text;
    }
  }
  if (!isDomainName(name)) {
    throw new AppError('invalid_input', `"${raw}" is not a host name. Give the name only, such as shop.example.com or www.example.com: no scheme, port or path.`);
  }
  const own = [sitesDomainName(urls), urls.publicHost.replace(/:\d+$/, '')];
  if (own.some((o) => name === o || name.endsWith(`.${o}`))) {
    throw new AppError('invalid_input', `${name} is one of this platform's own names: the site has its address there already. Add a domain you own.`);
  }
  return name;
}

export type DomainsService = ReturnType<typeof domainsService>;

export function domainsService(deps: DomainsDeps) {
  const siteOf = async (orgId: string, siteId: string): Promise<SiteRecord> => {
    const site = await deps.store.getSite(orgId, siteId);
    if (!site) throw siteNotFound();
    return site;
  };

  /** What the owner creates in DNS: the TXT record, and where the name points. */
  const recordsFor = (site: SiteRecord, d: DomainRecord): DnsRecord[] => {
    const target = `${site.slug}.${sitesDomainName(deps.urls)}`;
    const apex = d.domain.split('.').length === 2;
    return [
      { type: 'TXT', name: txtName(d.domain), value: txtValue(d.token), purpose: 'Proves the domain is yours (verification)' },
      apex
        ? { type: 'ALIAS', name: d.domain, value: target, purpose: `Points the name at this platform. At the apex a CNAME is not allowed: use ALIAS/ANAME (or CNAME flattening), or A/AAAA records with the addresses ${target} has` }
        : { type: 'CNAME', name: d.domain, value: target, purpose: 'Points the name at this platform' },
    ];
  };

  const domainJson = (site: SiteRecord, d: DomainRecord, checks?: Check[]): Domain => ({
    domain: d.domain,
    status: d.verifiedAt ? 'verified' : 'pending',
    url: `https://${d.domain}/`,
    created_at: d.createdAt,
    verified_at: d.verifiedAt,
    verified_by: d.verifiedBy,
    verification: {
      token: d.token,
      txt: { name: txtName(d.domain), value: txtValue(d.token) },
      http: { url: httpTokenUrl(d.domain, d.token, 80), body: d.token },
    },
    dns_records: recordsFor(site, d),
    ...(checks ? { checks } : {}),
  });

  const checkTxt = async (d: DomainRecord): Promise<Check> => {
    const resolveTxt = deps.resolveTxt ?? systemResolveTxt;
    try {
      const values = (await resolveTxt(txtName(d.domain))).map((chunks) => chunks.join(''));
      const ok = values.includes(txtValue(d.token));
      const detail = ok ? `${txtName(d.domain)} holds the token` : `${txtName(d.domain)} has ${values.length} TXT record(s), none is ${txtValue(d.token)}`;
      return { method: 'dns_txt', ok, detail };
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'error';
      return { method: 'dns_txt', ok: false, detail: `no TXT record at ${txtName(d.domain)} (${code})` };
    }
  };

  const checkHttp = async (d: DomainRecord): Promise<Check> => {
    const url = httpTokenUrl(d.domain, d.token, settingsOf(deps).httpPort);
    try {
      const res = await guardedFetch(url, { headers: { accept: 'text/plain', 'user-agent': 'Invoker-Domain-Verification' } }, {
        ...deps.outbound,
        allowHttp: true,
        timeoutMs: CHECK_TIMEOUT_MS,
        maxBytes: CHECK_MAX_BYTES,
      });
      const ok = res.status === 200 && res.body.toString('utf8').trim() === d.token;
      return { method: 'http', ok, detail: ok ? `${url} answered the token` : `${url} answered ${res.status}${res.status === 200 ? ' without the token' : ''}` };
    } catch (e) {
      return { method: 'http', ok: false, detail: e instanceof Error ? e.message : String(e) };
    }
  };

  /** Checks a pending domain (TXT first, then the HTTP token) and verifies it when one holds. */
  const check = async (orgId: string, site: SiteRecord, d: DomainRecord): Promise<{ record: DomainRecord; checks: Check[] }> => {
    const checks: Check[] = [await checkTxt(d)];
    let by: DomainVerification | null = checks[0]!.ok ? 'dns' : null;
    if (!by) {
      checks.push(await checkHttp(d));
      if (checks[1]!.ok) by = 'http';
    }
    if (!by) return { record: d, checks };
    const verified = await deps.store.verifyDomain(orgId, site.id, d.domain, by, deps.now().toISOString());
    if (verified === 'held') throw held(d.domain);
    if (verified === null) throw new AppError('not_found', `${d.domain} was removed from this site meanwhile. Add it again.`);
    return { record: verified, checks };
  };

  return {
    /**
     * Adds the domain to the site, pending (201), or, when the site has it already, checks it again
     * and answers where it stands (200).
     */
    async add(orgId: string, siteId: string, rawDomain: string): Promise<{ created: boolean; domain: Domain }> {
      const name = normalizeDomain(rawDomain, deps.urls);
      const site = await siteOf(orgId, siteId);
      const existing = (await deps.store.listDomains(orgId, siteId))?.find((d) => d.domain === name);
      if (existing) {
        if (existing.verifiedAt) return { created: false, domain: domainJson(site, existing) };
        const { record, checks } = await check(orgId, site, existing);
        return { created: false, domain: domainJson(site, record, checks) };
      }
      const perSite = settingsOf(deps).perSite;
      const added = await deps.store.addDomain({ orgId, siteId, domain: name, token: randomBytes(16).toString('hex'), maxPerSite: perSite, now: deps.now().toISOString() });
      if (added === null) throw siteNotFound();
      if (added === 'held') throw held(name);
      if (added === 'limit') throw new AppError('forbidden', `This site has ${perSite} domains already (INVOKER_MAX_DOMAINS): remove one first.`);
      return { created: true, domain: domainJson(site, added) };
    },

    async list(orgId: string, siteId: string): Promise<DomainList> {
      const site = await siteOf(orgId, siteId);
      const list = await deps.store.listDomains(orgId, siteId);
      if (!list) throw siteNotFound();
      return { domains: list.map((d) => domainJson(site, d)) };
    },

    /** Removes the domain from the site: it serves nothing from the next request on, on every instance. */
    async remove(orgId: string, siteId: string, rawDomain: string): Promise<void> {
      const name = rawDomain.trim().toLowerCase().replace(/\.$/, '');
      if (!(await deps.store.removeDomain(orgId, siteId, name))) {
        throw new AppError('not_found', `This site has no domain ${name}. List them with GET /deploy/{id}/domains.`);
      }
    },

    /** The body the platform answers at CHALLENGE_PATH{token} on a pending domain, or null. */
    async challenge(domain: string, token: string): Promise<string | null> {
      if (!TOKEN_SHAPE.test(token)) return null;
      return (await deps.store.isPendingDomainToken(domain, token)) ? token : null;
    },

    /** Caddy's on-demand TLS question: may a certificate be got for this name? */
    async allowsCertificate(raw: string | undefined): Promise<boolean> {
      const name = (raw ?? '').trim().toLowerCase().replace(/\.$/, '');
      if (!isDomainName(name)) return false;
      const suffix = `.${sitesDomainName(deps.urls)}`;
      if (name.endsWith(suffix)) {
        const target = classifyHost(deps.urls, `${name.slice(0, -suffix.length)}.${deps.urls.sitesDomain}`);
        if (target.kind !== 'site') return false;
        if (target.previewToken === null) return (await deps.store.findSiteBySlug(target.slug)) !== null;
        return (await deps.store.findHosted(target.slug, target.previewToken)) !== null;
      }
      return (await deps.store.domainHolder(name)) !== null;
    },
  };
}

// Where things live on a running platform: the API/dashboard origin and the sites domain.
// Built once at start from the configuration and the bound port; pure afterwards.

export interface PlatformUrls {
  /** e.g. http://localhost:8787 (no trailing slash) */
  publicUrl: string;
  /** Host of publicUrl, lower-case, with port when not default, e.g. localhost:8787 */
  publicHost: string;
  /** e.g. localhost:8787 or sites.example.com */
  sitesDomain: string;
  scheme: 'http' | 'https';
}

export function platformUrls(publicUrl: string, sitesDomain: string): PlatformUrls {
  const u = new URL(publicUrl);
  return {
    publicUrl: publicUrl.replace(/\/+$/, ''),
    publicHost: u.host.toLowerCase(),
    sitesDomain: sitesDomain.toLowerCase(),
    scheme: u.protocol === 'https:' ? 'https' : 'http',
  };
}

export function liveUrl(urls: PlatformUrls, slug: string): string {
  return `${urls.scheme}://${slug}.${urls.sitesDomain}/`;
}

export function previewUrl(urls: PlatformUrls, slug: string, token: string): string {
  return `${urls.scheme}://${slug}--${token}.${urls.sitesDomain}/`;
}

/**
 * A verified custom domain's start page, in the platform's scheme (what its site cookies assume
 * too), without a port: a domain is served on the default ports (Caddy in front, docs/SELF-HOSTING.md).
 */
export function domainUrl(urls: PlatformUrls, domain: string): string {
  return `${urls.scheme}://${domain}/`;
}

export function fallbackUrl(urls: PlatformUrls, slug: string): string {
  return `${urls.publicUrl}/s/${slug}/`;
}

export function submitUrl(urls: PlatformUrls, siteId: string): string {
  return `${urls.publicUrl}/submit/${siteId}`;
}

export type HostTarget =
  | { kind: 'platform' }
  | { kind: 'site'; slug: string; previewToken: string | null }
  | { kind: 'unknown' };

/**
 * What a Host header names: the platform itself, a live site `{slug}.{domain}`, a preview
 * `{slug}--{token}.{domain}`, or something else (answered 404).
 */
export function classifyHost(urls: PlatformUrls, hostHeader: string | undefined): HostTarget {
  const host = (hostHeader ?? '').trim().toLowerCase().replace(/\.(?=:|$)/, '');
  if (host === '' || host === urls.publicHost) return { kind: 'platform' };
  const suffix = `.${urls.sitesDomain}`;
  if (!host.endsWith(suffix)) {
    // Loopback and bare-IP hosts reach the platform too (health checks, curl to 127.0.0.1).
    return isLoopbackOrIp(host) ? { kind: 'platform' } : { kind: 'unknown' };
  }
  const label = host.slice(0, -suffix.length);
  if (!/^[a-z0-9-]{1,63}$/.test(label)) return { kind: 'unknown' };
  const sep = label.indexOf('--');
  if (sep === -1) return { kind: 'site', slug: label, previewToken: null };
  const token = label.slice(sep + 2);
  return /^[a-z0-9]{16}$/.test(token) ? { kind: 'site', slug: label.slice(0, sep), previewToken: token } : { kind: 'unknown' };
}

function isLoopbackOrIp(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith('[');
}

/** A DNS host name as custom domains take it: ASCII labels (IDNs as punycode), two at least, no IP. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isDomainName(name: string): boolean {
  if (name.length > 253) return false;
  const labels = name.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  // A numeric last label is an IPv4 address (or a spelling of one), never a name.
  return !/^\d+$/.test(labels[labels.length - 1] as string);
}

/** The host name of a Host header that names none of the platform's hosts, when it could be a custom domain. */
export function customDomainOf(hostHeader: string | undefined): string | null {
  const host = (hostHeader ?? '').trim().toLowerCase().replace(/:\d{1,5}$/, '').replace(/\.$/, '');
  return isDomainName(host) ? host : null;
}

/** The sites domain without its port: what DNS records name. */
export function sitesDomainName(urls: PlatformUrls): string {
  return urls.sitesDomain.replace(/:\d+$/, '');
}

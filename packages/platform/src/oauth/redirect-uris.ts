// Which redirect URIs a client may register (SPEC section 11, RFC 8252, OAuth 2.1 §2.3.1) and how a
// requested one matches a registered one: https anywhere; http only on a loopback address, where
// any port matches (a native app picks a free one each time, RFC 8252 §7.3); private-use schemes of
// native apps (`cursor://…`, §7.1). Schemes that run or read something where they open
// (`javascript:`, `data:`, `file:`, …) are refused, as are fragments and control characters.
const REFUSED_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file', 'blob', 'about', 'filesystem', 'ws', 'wss', 'ftp', 'mailto', 'tel', 'sms', 'chrome', 'view-source']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_LENGTH = 2000;

/** Why `uri` cannot be a redirect URI, or null when it can. */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > MAX_LENGTH) return `a redirect URI is at most ${MAX_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(uri)) return 'a redirect URI holds no spaces or control characters';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${JSON.stringify(uri.slice(0, 80))} is not an absolute URI`;
  }
  if (url.hash || uri.includes('#')) return 'a redirect URI has no fragment (#…)';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return url.hostname ? null : 'an https redirect URI names a host';
  if (scheme === 'http') return LOOPBACK_HOSTS.has(url.hostname) ? null : 'http redirect URIs are allowed only on loopback (127.0.0.1, [::1], localhost): use https';
  if (REFUSED_SCHEMES.has(scheme)) return `the ${scheme}: scheme cannot be a redirect URI: use https, loopback http or your app's own scheme`;
  return null;
}

function loopbackWithoutPort(uri: string): string | null {
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return null;
    url.port = '';
    return url.href;
  } catch {
    return null;
  }
}

/** Exact match, except that a loopback http URI matches on any port. */
export function redirectUriMatches(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const loose = loopbackWithoutPort(requested);
  return loose !== null && registered.some((r) => loopbackWithoutPort(r) === loose);
}

// Every request the platform makes to an address a tenant chose (webhook targets, OAuth Client ID
// Metadata Documents, custom-domain verification) goes through guardedFetch (SPEC section 10): the
// name is resolved once, every address it resolves to is checked, and the connection is made to the
// vetted address itself, so a second lookup (DNS rebinding) cannot swap in another. Refused: loopback,
// private, link-local, CGNAT, 0/8, unique-local and link-local v6, multicast, documentation and
// reserved ranges, and the IPv4-mapped, NAT64 and 6to4 spellings of any of those. WHATWG URL parsing
// already turns numeric spellings (2130706433, 0x7f.1, 0177.0.0.1) into dotted quads. https only, no
// redirects followed, time and size limits. `allowPrivate` (INVOKER_ALLOW_PRIVATE_FETCH=1) lifts the
// address rule and allows http: tests on loopback, and deployments on a private network. `allowHttp`
// lets one kind of request use plain http with every address rule kept: a custom domain's HTTP token,
// which (like ACME's HTTP-01) is fetched before any certificate for the name can exist.
import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { AppError } from 'invoker-mcp/errors.js';
import { LruCache } from './lru.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface OutboundPolicy {
  /** INVOKER_ALLOW_PRIVATE_FETCH=1: any address, and http as well as https. */
  allowPrivate: boolean;
  /** Plain http as well as https, the address rules unchanged (domain verification only). */
  allowHttp?: boolean;
  /** The whole exchange, connection to last byte. */
  timeoutMs: number;
  /** The response body is cut here; `truncated` says so. */
  maxBytes: number;
  /** All addresses of a name; the system resolver unless a test or a custom resolver passes one. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The body was longer than maxBytes and was cut there. */
  truncated: boolean;
  /** The address the connection was made to. */
  address: string;
}

/** AppError.details.reason of a target refused before anything was sent. */
export const OUTBOUND_REFUSED = 'outbound_refused';

/** A refusal whose message names what to change. */
function refused(message: string): AppError {
  return new AppError('invalid_input', message, { reason: OUTBOUND_REFUSED });
}

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 one carries in its low or middle bits (NAT64, 6to4), if it is such a form. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const quad = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  // 64:ff9b::/96 (NAT64 well-known) and 64:ff9b:1::/48 (local-use NAT64): the last 32 bits.
  if (groups[0] === 0x64 && groups[1] === 0xff9b) return quad(groups[6]!, groups[7]!);
  // 2002::/16 (6to4): bits 16 to 48.
  if (groups[0] === 0x2002) return quad(groups[1]!, groups[2]!);
  return null;
}

function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  return groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff) ? null : groups;
}

/** True for an address no tenant-chosen request may reach (SPEC section 10). */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  // BlockList checks an IPv4-mapped address (::ffff:a.b.c.d) against the IPv4 rules itself.
  if (BLOCKED.check(address, 'ipv6')) return true;
  const embedded = embeddedIpv4(address);
  return embedded !== null && BLOCKED.check(embedded, 'ipv4');
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/**
 * Checks a URL a tenant gave (before it is stored, and again before every request): its scheme,
 * and every address its host resolves to. Returns the address to connect to.
 */
export async function vetTarget(rawUrl: string, policy: Pick<OutboundPolicy, 'allowPrivate' | 'allowHttp' | 'resolve'>): Promise<{ url: URL; address: ResolvedAddress }> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw refused(`"${rawUrl}" is not an absolute URL. Give one such as https://example.com/hook.`);
  }
  if (url.protocol !== 'https:' && !((policy.allowPrivate || policy.allowHttp) && url.protocol === 'http:')) {
    throw refused(`Only https:// URLs are allowed (got ${url.protocol}//). Use the https address of ${url.host || 'the server'}.`);
  }
  if (url.username || url.password) throw refused('Leave credentials out of the URL (user:password@); send them another way.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      throw refused(`The name ${host} does not resolve. Check its spelling and its DNS records.`);
    }
    if (addresses.length === 0) throw refused(`The name ${host} has no address. Check its DNS records.`);
  }
  if (!policy.allowPrivate) {
    const inside = addresses.find((a) => isRefusedAddress(a.address));
    if (inside) {
      throw refused(
        `${host} ${literal ? 'is' : `resolves to ${inside.address}, which is`} a private, loopback or reserved address: the platform does not send requests there. Use a public address.`,
      );
    }
  }
  return { url, address: addresses[0]! };
}

/** Addresses whose idle connections are kept; past that the least recently used is let go. */
const MAX_KEPT_ADDRESSES = 64;
/** An idle connection is closed after this, before the usual 5 s of a server's own keep-alive. */
const IDLE_MS = 4_000;
const agents = new LruCache<string, HttpAgent>(MAX_KEPT_ADDRESSES);

/**
 * The connections kept alive to one vetted address: a webhook receiver gets a burst of deliveries on
 * a few connections instead of a connection (and, over https, a TLS handshake) each. Keyed by the
 * address the name was vetted to, so a name that now resolves elsewhere gets connections of its own:
 * a kept connection only ever serves requests vetted to the address it was opened to. A dropped pool
 * is not destroyed (its requests finish; idle sockets close after IDLE_MS and hold no process open).
 */
function agentFor(protocol: string, address: ResolvedAddress): HttpAgent {
  const key = `${protocol}//${address.address}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, timeout: IDLE_MS, maxFreeSockets: 4 };
    agent = protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** One request to a vetted address; redirects are answered as they are, never followed. */
export async function guardedFetch(rawUrl: string, init: OutboundRequest, policy: OutboundPolicy): Promise<OutboundResponse> {
  const { url, address } = await vetTarget(rawUrl, policy);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  const agent = agentFor(url.protocol, address);
  return new Promise<OutboundResponse>((resolve, reject) => {
    let current: ClientRequest;
    // One deadline for the whole exchange (a socket timeout alone restarts with every byte).
    const deadline = setTimeout(() => current.destroy(new Error(`no complete answer within ${policy.timeoutMs} ms`)), policy.timeoutMs);
    const open = (retried: boolean) => {
      const req = send(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: init.method ?? 'GET',
          headers: { ...init.headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
          // The vetted address, so the connection cannot go where a second lookup would point it.
          lookup: (_host, options, callback) => {
            if ((options as { all?: boolean }).all) callback(null, [{ address: address.address, family: address.family }]);
            else callback(null, address.address, address.family);
          },
          // Certificates are checked against the name, as for any https request (SNI too).
          servername: isIP(url.hostname) ? undefined : url.hostname,
          agent,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          res.on('data', (chunk: Buffer) => {
            if (truncated) return;
            const room = policy.maxBytes - size;
            if (chunk.byteLength > room) {
              chunks.push(chunk.subarray(0, room));
              size = policy.maxBytes;
              truncated = true;
              res.destroy();
              finish();
              return;
            }
            chunks.push(chunk);
            size += chunk.byteLength;
          });
          const finish = () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
              body: Buffer.concat(chunks),
              truncated,
              address: address.address,
            });
          res.on('end', finish);
          res.on('error', (e) => (truncated ? undefined : reject(new AppError('upstream', `The answer from ${url.host} broke off: ${e.message}.`))));
        },
      );
      current = req;
      req.on('close', () => current === req && clearTimeout(deadline));
      req.on('error', (e: NodeJS.ErrnoException) => {
        // A kept connection the receiver had closed while it was idle: nothing was answered on it,
        // so the request goes again, once, on a new connection.
        if (!retried && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) return open(true);
        reject(new AppError('upstream', `The request to ${url.host} failed: ${e.message}.`));
      });
      req.end(body);
    };
    open(false);
  });
}

// Who a client is (SPEC section 11). A `client_id` that is an https URL is a Client ID Metadata
// Document: fetched through the outbound guard (≤ 5 KB, 5 s, no redirects, no private addresses
// unless INVOKER_ALLOW_PRIVATE_FETCH=1), and its own `client_id` must equal that URL, so its host is
// the identity the consent page shows as verified. Any other id names a client registered by
// Dynamic Client Registration (RFC 7591), whose name is shown as unverified; registrations are
// rate limited per IP and expire after 30 days unused.
import { randomBase62 } from 'invoker-mcp/contract/api-key.js';
import { guardedFetch, OUTBOUND_REFUSED } from '../outbound-fetch.js';
import { isAppError } from 'invoker-mcp/errors.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { OAuthClientKind } from '../store/oauth-records.js';
import type { ServiceDeps } from '../services/deps.js';
import { oauthError } from './errors.js';
import { redirectUriProblem } from './redirect-uris.js';

export const CIMD_MAX_BYTES = 5 * 1024;
export const CIMD_TIMEOUT_MS = 5000;
const DCR_UNUSED_DAYS = 30;
const MAX_REDIRECT_URIS = 10;
const MAX_NAME = 100;

/** A client as the authorization endpoint needs it. */
export interface OAuthClient {
  id: string;
  kind: OAuthClientKind;
  /** The client's own name (DCR: unverified), or its host when it gave none. */
  name: string;
  /** CIMD: the document URL's host, which the fetch proved; null for DCR clients. */
  verifiedHost: string | null;
  redirectUris: string[];
}

export type ClientDeps = Pick<ServiceDeps, 'store' | 'now' | 'outbound'>;

/** A registration request's or a metadata document's client_name: printable, short. */
function cleanName(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback;
  // eslint-disable-next-line no-control-regex
  const name = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_NAME);
  return name || fallback;
}

function checkRedirectUris(raw: unknown, oauth: 'invalid_redirect_uri' | 'invalid_client'): string[] {
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((u) => typeof u === 'string')) {
    throw oauthError(oauth === 'invalid_client' ? 'invalid_client' : 'invalid_redirect_uri', 'redirect_uris must be a non-empty list of URIs.');
  }
  if (raw.length > MAX_REDIRECT_URIS) throw oauthError(oauth, `At most ${MAX_REDIRECT_URIS} redirect_uris.`);
  for (const uri of raw as string[]) {
    const problem = redirectUriProblem(uri);
    if (problem) throw oauthError(oauth, `Redirect URI refused: ${problem}.`);
  }
  return raw as string[];
}

/** Only public clients (PKCE, no secret): the registration says so or says nothing. */
function checkAuthMethod(method: unknown, oauth: 'invalid_client_metadata' | 'invalid_client'): void {
  if (method !== undefined && method !== 'none') {
    throw oauthError(oauth, 'Only public clients are supported: token_endpoint_auth_method must be "none" (PKCE protects the code).');
  }
}

export function isMetadataDocumentId(clientId: string): boolean {
  return clientId.startsWith('https://');
}

async function fetchMetadataDocument(deps: ClientDeps, clientId: string): Promise<OAuthClient> {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw oauthError('invalid_client', 'client_id is not a valid URL.');
  }
  if (url.pathname === '/' || url.hash || url.username || url.password) {
    throw oauthError('invalid_client', 'A client metadata document URL has a path and no fragment or credentials.');
  }
  let answer;
  try {
    answer = await guardedFetch(clientId, { headers: { accept: 'application/json' } }, { ...deps.outbound, timeoutMs: CIMD_TIMEOUT_MS, maxBytes: CIMD_MAX_BYTES });
  } catch (e) {
    const reason = isAppError(e) ? e.message : String(e);
    const refused = isAppError(e) && e.details.reason === OUTBOUND_REFUSED;
    throw oauthError('invalid_client', `The client's metadata document at ${url.host} could not be ${refused ? 'fetched: the address is refused' : 'fetched'} (${reason})`);
  }
  if (answer.truncated) throw oauthError('invalid_client', `The client's metadata document at ${url.host} is over ${CIMD_MAX_BYTES / 1024} KB.`);
  if (answer.status !== 200) throw oauthError('invalid_client', `The client's metadata document at ${url.host} answered ${answer.status}, not 200.`);
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    doc = parsed as Record<string, unknown>;
  } catch {
    throw oauthError('invalid_client', `The client's metadata document at ${url.host} is not a JSON object.`);
  }
  if (doc.client_id !== clientId) throw oauthError('invalid_client', `The client's metadata document names another client_id: it must equal its own URL (${clientId}).`);
  checkAuthMethod(doc.token_endpoint_auth_method, 'invalid_client');
  return {
    id: clientId,
    kind: 'cimd',
    name: cleanName(doc.client_name, url.host),
    verifiedHost: url.host,
    redirectUris: checkRedirectUris(doc.redirect_uris, 'invalid_client'),
  };
}

export interface RegisteredClient {
  client_id: string;
  client_id_issued_at: number;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'none';
}

export function clientsService(deps: ClientDeps, registrations: RateLimiter) {
  return {
    /** The client a `client_id` names, or invalid_client. */
    async find(clientId: string): Promise<OAuthClient> {
      if (!clientId || clientId.length > 2000) throw oauthError('invalid_client', 'client_id is missing or too long.');
      if (isMetadataDocumentId(clientId)) return fetchMetadataDocument(deps, clientId);
      const record = await deps.store.getOAuthClient(clientId);
      if (!record) throw oauthError('invalid_client', 'Unknown client_id: register the client again (its registration may have expired after 30 days unused).');
      return { id: record.id, kind: 'dcr', name: record.name, verifiedHost: null, redirectUris: record.redirectUris };
    },

    /** POST /oauth/register (RFC 7591): a public client with its redirect URIs. */
    async register(ip: string, body: unknown): Promise<RegisteredClient> {
      const verdict = await registrations.hit(`ip:${ip}`);
      if (!verdict.allowed) throw oauthError('slow_down', 'Too many client registrations from this address. Wait a minute, then try again.', { retryAfterSeconds: verdict.resetSeconds });
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw oauthError('invalid_client_metadata', 'The registration must be a JSON object.');
      const meta = body as Record<string, unknown>;
      const redirectUris = checkRedirectUris(meta.redirect_uris, 'invalid_redirect_uri');
      checkAuthMethod(meta.token_endpoint_auth_method, 'invalid_client_metadata');
      for (const [field, allowed] of [['grant_types', ['authorization_code', 'refresh_token']], ['response_types', ['code']]] as const) {
        const value = meta[field];
        if (value !== undefined && (!Array.isArray(value) || !value.every((v) => (allowed as readonly string[]).includes(v)))) {
          throw oauthError('invalid_client_metadata', `${field} may hold only ${allowed.join(', ')}.`);
        }
      }
      const now = deps.now();
      const record = await deps.store.createOAuthClient({
        id: `oac_${randomBase62(22)}`,
        name: cleanName(meta.client_name, 'Unnamed client'),
        redirectUris,
        now: now.toISOString(),
        unusedBefore: new Date(now.getTime() - DCR_UNUSED_DAYS * 86_400_000).toISOString(),
      });
      return {
        client_id: record.id,
        client_id_issued_at: Math.floor(now.getTime() / 1000),
        client_name: record.name,
        redirect_uris: record.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      };
    },
  };
}

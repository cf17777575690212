// Which protocol era a JSON-RPC message belongs to, told apart the way the SDK's serveStdio does
// it, without loading the SDK or zod (the stdio front runs before either is loaded). A 2026-07-28
// request carries the per-request `_meta` envelope; anything without one is 2025-era traffic.
//
// The front answers a message only when this module vouches for it; every message it is unsure of
// goes to the real server, which owns the errors. So the checks here may be stricter than the
// SDK's schemas, never looser.

export const MODERN_REVISION = '2026-07-28';
/** The reserved envelope keys (the SDK exports the same names; a unit test keeps them equal). */
export const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
export const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';
const RESERVED_PREFIX = 'io.modelcontextprotocol/';

export interface RpcMessage {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** 'unsure': a request the front leaves to the real server (malformed, or an envelope it cannot vouch for). */
export type MessageEra = 'legacy' | 'modern' | 'unsure';

/** The envelope a 2026-07-28 client puts in every request's `_meta`. */
export function envelope(clientCapabilities: Record<string, unknown>, clientInfo = { name: 'invoker-manifest', version: '0' }) {
  return { [PROTOCOL_VERSION_KEY]: MODERN_REVISION, [CLIENT_INFO_KEY]: clientInfo, [CLIENT_CAPABILITIES_KEY]: clientCapabilities };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);
const isString = (value: unknown) => typeof value === 'string';
const isObjectRecord = (value: unknown) => isObject(value) && Object.values(value).every(isObject);

/** An Implementation (clientInfo): name and version, and only well-typed optional fields. */
export function isImplementation(value: unknown): boolean {
  if (!isObject(value) || !isString(value.name) || !isString(value.version)) return false;
  const icons = value.icons;
  return (
    optional(value.title, isString) &&
    optional(value.websiteUrl, isString) &&
    optional(value.description, isString) &&
    optional(icons, (list) => Array.isArray(list) && list.every((icon) => isObject(icon) && isString(icon.src) && Object.keys(icon).every((k) => k === 'src')))
  );
}

/** Client capabilities in their common shapes; an unusual shape is left to the SDK's schema. */
export function isPlainCapabilities(value: unknown): boolean {
  if (!isObject(value)) return false;
  const checks: Record<string, (v: unknown) => boolean> = {
    experimental: isObjectRecord,
    extensions: isObjectRecord,
    roots: (v) => isObject(v) && optional(v.listChanged, (b) => typeof b === 'boolean') && Object.keys(v).every((k) => k === 'listChanged'),
    sampling: (v) => isObject(v) && Object.entries(v).every(([k, m]) => (k === 'context' || k === 'tools') && isObject(m)),
    elicitation: (v) => isObject(v) && Object.entries(v).every(([k, m]) => (k === 'url' && isObject(m)) || (k === 'form' && isObject(m) && !('applyDefaults' in m))),
  };
  return Object.entries(value).every(([key, member]) => checks[key]?.(member) ?? false);
}

/** A request's `_meta`, when it is one the front can answer: 'legacy' (no envelope) or 'modern' (a valid one). */
function metaEra(meta: unknown): MessageEra {
  if (meta === undefined) return 'legacy';
  if (!isObject(meta) || !optional(meta.progressToken, (t) => isString(t) || Number.isSafeInteger(t))) return 'unsure';
  const reserved = Object.keys(meta).filter((k) => k.startsWith(RESERVED_PREFIX));
  if (reserved.length === 0) return 'legacy';
  const known = [PROTOCOL_VERSION_KEY, CLIENT_INFO_KEY, CLIENT_CAPABILITIES_KEY];
  if (!reserved.every((k) => known.includes(k))) return 'unsure';
  const vouched =
    meta[PROTOCOL_VERSION_KEY] === MODERN_REVISION && isPlainCapabilities(meta[CLIENT_CAPABILITIES_KEY]) && optional(meta[CLIENT_INFO_KEY], isImplementation);
  return vouched ? 'modern' : 'unsure';
}

/**
 * The era of a request or notification whose params hold nothing but `_meta` (what tools/list,
 * ping and server/discover send), or 'unsure'.
 */
export function eraOf(message: RpcMessage): MessageEra {
  if (message.jsonrpc !== '2.0' || !isString(message.method)) return 'unsure';
  if (message.id !== undefined && !isString(message.id) && !Number.isSafeInteger(message.id)) return 'unsure';
  if (message.params === undefined) return 'legacy';
  if (!isObject(message.params) || Object.keys(message.params).some((k) => k !== '_meta')) return 'unsure';
  return metaEra(message.params._meta);
}

/** A 2025-era initialize the server would accept as it is: the front may answer it. */
export function isPlainInitialize(message: RpcMessage): boolean {
  if (message.jsonrpc !== '2.0' || message.method !== 'initialize' || (!isString(message.id) && !Number.isSafeInteger(message.id))) return false;
  const params = message.params;
  if (!isObject(params) || metaEra(params._meta) !== 'legacy') return false;
  return isString(params.protocolVersion) && isPlainCapabilities(params.capabilities) && isImplementation(params.clientInfo);
}

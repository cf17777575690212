// era.ts tells the eras apart without the SDK; these checks hold it to the SDK: the same reserved
// keys, and never vouching for a value the SDK's own schemas would refuse.
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, PROTOCOL_VERSION_META_KEY, isSpecType } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { CLIENT_CAPABILITIES_KEY, CLIENT_INFO_KEY, PROTOCOL_VERSION_KEY, envelope, eraOf, isImplementation, isPlainCapabilities, isPlainInitialize } from './era.js';

const CAPABILITIES: unknown[] = [
  {},
  { roots: { listChanged: true } },
  { roots: { listChanged: 'yes' } },
  { roots: { other: 1 } },
  { elicitation: {} },
  { elicitation: { url: {} } },
  { elicitation: { form: {}, url: {} } },
  { elicitation: { form: { applyDefaults: 'no' } } },
  { elicitation: { url: 'yes' } },
  { sampling: {} },
  { sampling: { tools: {} } },
  { sampling: { tools: true } },
  { experimental: { x: {} } },
  { experimental: { x: 1 } },
  { extensions: { 'io.example/thing': {} } },
  { extensions: [] },
  { tasks: {} },
  { somethingNew: {} },
  null,
  [],
  'all',
];

const IMPLEMENTATIONS: unknown[] = [
  { name: 'a', version: '1' },
  { name: 'a', version: '1', title: 'A' },
  { name: 'a', version: '1', title: 5 },
  { name: 'a' },
  { name: 'a', version: '1', icons: [{ src: 'https://x/icon.png' }] },
  { name: 'a', version: '1', icons: [{ src: 'https://x/icon.png', theme: 'purple' }] },
  { name: 'a', version: '1', websiteUrl: 'https://x' },
  'a',
];

describe('era.ts', () => {
  it('uses the SDK’s reserved envelope keys', () => {
    expect([PROTOCOL_VERSION_KEY, CLIENT_INFO_KEY, CLIENT_CAPABILITIES_KEY]).toEqual([PROTOCOL_VERSION_META_KEY, CLIENT_INFO_META_KEY, CLIENT_CAPABILITIES_META_KEY]);
  });

  it('vouches for client capabilities and client info only where the SDK’s schemas accept them', () => {
    for (const value of CAPABILITIES) if (isPlainCapabilities(value)) expect(isSpecType.ClientCapabilities(value), JSON.stringify(value)).toBe(true);
    for (const value of IMPLEMENTATIONS) if (isImplementation(value)) expect(isSpecType.Implementation(value), JSON.stringify(value)).toBe(true);
    // And it does vouch for the shapes clients send.
    expect(CAPABILITIES.filter(isPlainCapabilities)).toHaveLength(9);
    expect(isImplementation({ name: 'claude-ai', version: '0.1.0' })).toBe(true);
  });

  it('classifies by the envelope, and leaves anything odd to the server', () => {
    const meta = (m: unknown) => ({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: m } });
    expect(eraOf({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBe('legacy');
    expect(eraOf(meta({ progressToken: 'p' }))).toBe('legacy');
    expect(eraOf(meta(envelope({})))).toBe('modern');
    expect(eraOf(meta({ ...envelope({}), [PROTOCOL_VERSION_KEY]: '2025-11-25' }))).toBe('unsure');
    expect(eraOf(meta({ [PROTOCOL_VERSION_KEY]: '2026-07-28' }))).toBe('unsure');
    expect(eraOf(meta({ ...envelope({}), 'io.modelcontextprotocol/logLevel': 'debug' }))).toBe('unsure');
    expect(eraOf({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { cursor: 'c' } })).toBe('unsure');
    expect(eraOf({ jsonrpc: '1.0', id: 1, method: 'tools/list' })).toBe('unsure');
    expect(eraOf({ jsonrpc: '2.0', id: 1.5, method: 'ping' })).toBe('unsure');
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'a', version: '1' } } };
    expect(isPlainInitialize(init)).toBe(true);
    expect(isPlainInitialize({ ...init, params: { ...init.params, clientInfo: { name: 'a' } } })).toBe(false);
    expect(isPlainInitialize({ ...init, params: { ...init.params, _meta: envelope({}) } })).toBe(false);
  });
});

// Protocol test of the content toolset: the real McpServer and an SDK Client over InMemoryTransport.
// The context fails on any API or key access, which proves the tools are offline.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../packages/invoker-mcp/src/mcp/define-tool.js';
import { createMcpServer } from '../packages/invoker-mcp/src/mcp/server.js';
import { CONTENT_TOOLS } from '../packages/invoker-mcp/src/mcp/tools/content-tools.js';
import { resultText } from './helpers/platform.js';

const offline: ToolContext = {
  config: { apiUrl: 'http://127.0.0.1:9', envApiKey: undefined, configDir: '/nonexistent', noBrowser: true },
  api: () => Promise.reject(new Error('content tools must not call the API')),
  currentKey: () => Promise.reject(new Error('content tools must not read keys')),
};

const CONTENT = ['gather_requirements', 'list_templates', 'use_template', 'list_blocks', 'list_styles', 'compose_page'];

describe('content tools over MCP', () => {
  let client: Client;

  beforeAll(async () => {
    const server = createMcpServer({ version: '0.0.0-test', context: offline, tools: CONTENT_TOOLS });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: 'content-test', version: '0.0.0' });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  it('lists exactly the six content tools, read-only, idempotent and closed-world, each teaching the flow', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...CONTENT].sort());
    for (const t of tools) {
      expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
      expect(t.title).toBeTruthy();
      expect(t.outputSchema).toBeDefined();
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t.description ?? '']));
    expect(byName.gather_requirements).toMatch(/use_template.*compose_page.*deploy.*preview.*publish/s);
    expect(byName.compose_page).toMatch(/deploy.*publish after the user approves/s);
    expect(byName.use_template).toMatch(/deploy.*publish after the user approves/s);
  });

  it('gather_requirements returns the questions for a kind and the template to use next', async () => {
    const result = await call('gather_requirements', { kind: 'rsvp' });
    expect(result.isError).toBeFalsy();
    const r = result.structuredContent as { questions: Array<{ id: string; question: string }>; suggested_template: string };
    expect(r.suggested_template).toBe('rsvp');
    expect(r.questions.map((q) => q.id)).toEqual(expect.arrayContaining(['name', 'event', 'deadline']));
    expect(resultText(result)).toContain('use_template with id "rsvp"');
    expect((await call('gather_requirements', { kind: 'spaceship' })).isError).toBe(true);
  });

  it('list_templates, list_blocks and list_styles return the catalogue in the SPEC shapes', async () => {
    const templates = (await call('list_templates', {})).structuredContent as { templates: Array<{ id: string; name: string; description: string }> };
    expect(templates.templates.length).toBeGreaterThanOrEqual(10);
    expect(templates.templates[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), description: expect.any(String) });

    const blocks = (await call('list_blocks', {})).structuredContent as { blocks: Array<{ id: string; category: string; props: Array<{ name: string; default: unknown }> }> };
    expect(blocks.blocks.length).toBeGreaterThanOrEqual(20);
    const hero = blocks.blocks.find((b) => b.id === 'hero-centered');
    expect(hero?.props).toContainEqual(expect.objectContaining({ name: 'title', type: 'text', default: 'Launch something people love' }));
    const faqOnly = (await call('list_blocks', { category: 'faq' })).structuredContent as { blocks: Array<{ category: string }> };
    expect(faqOnly.blocks.length).toBeGreaterThan(0);
    expect(faqOnly.blocks.every((b) => b.category === 'faq')).toBe(true);

    const styles = (await call('list_styles', {})).structuredContent as { styles: Array<{ id: string; colors: Record<string, string> }> };
    expect(styles.styles.length).toBeGreaterThanOrEqual(6);
    expect(styles.styles[0]?.colors.primary).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('use_template applies style, page and prop overrides', async () => {
    const result = await call('use_template', {
      id: 'waitlist',
      style: 'forest',
      page: { title: 'Orbit waitlist' },
      props: { 'hero-centered': { title: 'Orbit is <almost> here' } },
    });
    expect(result.isError).toBeFalsy();
    const { html } = result.structuredContent as { html: string };
    expect(html).toContain('<title>Orbit waitlist</title>');
    expect(html).toContain('Orbit is &lt;almost&gt; here');
    expect(html).toContain('--primary:#166534');
    expect(resultText(result)).toMatch(/deploy.*PREVIEW.*publish/s);
  });

  it('use_template explains unknown ids and blocks the template does not have', async () => {
    const unknown = await call('use_template', { id: 'blog' });
    expect(unknown.isError).toBe(true);
    expect(resultText(unknown)).toMatch(/Unknown template "blog".*waitlist.*pricing/);
    const wrongBlock = await call('use_template', { id: 'contact', props: { 'pricing-table': {} } });
    expect(wrongBlock.isError).toBe(true);
    expect(resultText(wrongBlock)).toMatch(/no "pricing-table" block.*form-contact/);
  });

  it('compose_page returns the document and turns bad blocks, props and URLs into isError results', async () => {
    const ok = await call('compose_page', { style: 'mono', page: { title: 'Hi', lang: 'de' }, blocks: [{ blockId: 'hero-minimal', props: { title: 'Hallo' } }] });
    expect(ok.isError).toBeFalsy();
    expect((ok.structuredContent as { html: string }).html).toMatch(/^<!doctype html>\n<html lang="de">/);

    const badBlock = await call('compose_page', { page: { title: 'x' }, blocks: [{ blockId: 'carousel' }] });
    expect(badBlock.isError).toBe(true);
    expect(resultText(badBlock)).toMatch(/Unknown block "carousel".*navbar.*footer/);

    const badProp = await call('compose_page', { page: { title: 'x' }, blocks: [{ blockId: 'cta-banner', props: { colour: 'red' } }] });
    expect(resultText(badProp)).toMatch(/Unknown prop "colour".*It takes: .*title/);

    const badUrl = await call('compose_page', { page: { title: 'x' }, blocks: [{ blockId: 'navbar', props: { ctaHref: 'javascript:alert(1)' } }] });
    expect(badUrl.isError).toBe(true);
    expect(resultText(badUrl)).toMatch(/ctaHref.*javascript/);
  });
});

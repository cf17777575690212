// The listing rule of toolsets.ts, on the real catalog: which tools each INVOKER_TOOLSETS value,
// the read-only switch and each remote scope list.
import { describe, expect, it } from 'vitest';
import { CATALOG, factsOf, listedInput, toolsFor } from './catalog.js';
import { DEFAULT_TOOLSETS, SCOPES, TOOLSETS, listsOrg, remoteSelection, scopeOf, selectionFromEnv, toolsetsFromEnv, type Selection } from './toolsets.js';

const names = (selection: Selection) => toolsFor(selection).map((t) => t.name);
const stdio = (env: Record<string, string>) => {
  const warnings: string[] = [];
  return { selection: selectionFromEnv(env, (w) => warnings.push(w)), warnings };
};

describe('toolsets', () => {
  it('knows every toolset of SPEC section 12, with auth, sites, forms and content on by default', () => {
    expect(TOOLSETS).toEqual(['auth', 'sites', 'forms', 'content', 'keys', 'orgs', 'webhooks', 'domains', 'extras']);
    expect(DEFAULT_TOOLSETS).toEqual(['auth', 'sites', 'forms', 'content']);
    for (const tool of CATALOG) if (tool.name !== 'enable_toolset') expect(TOOLSETS).toContain(tool.toolset);
  });

  it('lists the default toolsets and enable_toolset when INVOKER_TOOLSETS is unset, empty or "default"', () => {
    const expected = [
      ...['login', 'logout', 'whoami', 'deploy', 'publish', 'update', 'patch_page', 'list_deploys', 'get_status', 'teardown'],
      ...['get_submissions', 'delete_submission', 'export_submissions', 'update_form_settings'],
      ...['gather_requirements', 'list_templates', 'use_template', 'list_blocks', 'list_styles', 'compose_page'],
      'enable_toolset',
    ];
    for (const env of [{}, { INVOKER_TOOLSETS: '' }, { INVOKER_TOOLSETS: ' default ' }] as Array<Record<string, string>>) {
      const { selection, warnings } = stdio(env);
      expect(names(selection)).toEqual(expected);
      expect(warnings).toEqual([]);
    }
  });

  it('lists every tool and no enable_toolset with "all"; a comma list adds to nothing else', () => {
    expect(names(stdio({ INVOKER_TOOLSETS: 'all' }).selection)).toEqual(CATALOG.filter((t) => t.name !== 'enable_toolset').map((t) => t.name));
    expect(names(stdio({ INVOKER_TOOLSETS: 'keys, Orgs' }).selection)).toEqual(['list_api_keys', 'create_api_key', 'revoke_api_key', 'list_orgs', 'create_sub_org', 'enable_toolset']);
    expect(names(stdio({ INVOKER_TOOLSETS: 'default,keys' }).selection)).toContain('create_api_key');
  });

  it('accepts every known toolset, and reports unknown names instead of listing nothing', () => {
    const extras = stdio({ INVOKER_TOOLSETS: 'extras' });
    expect(names(extras.selection)).toEqual(['list_counters', 'protect_site', 'enable_toolset']);
    expect(names(stdio({ INVOKER_TOOLSETS: 'domains' }).selection)).toEqual(['add_domain', 'list_domains', 'remove_domain', 'enable_toolset']);
    expect(extras.warnings).toEqual([]);
    const typo = stdio({ INVOKER_TOOLSETS: 'sitez' });
    expect(typo.selection.toolsets).toEqual(new Set(DEFAULT_TOOLSETS));
    expect(typo.warnings.join('\n')).toMatch(/unknown INVOKER_TOOLSETS entries: sitez.*\n.*using the defaults/);
    const partly = stdio({ INVOKER_TOOLSETS: 'keys,nope' });
    expect([...partly.selection.toolsets]).toEqual(['keys']);
    expect(partly.warnings).toHaveLength(1);
    expect(toolsetsFromEnv('__proto__,constructor', () => {})).toEqual(new Set(DEFAULT_TOOLSETS));
  });

  it('in read-only mode lists only read-only tools, plus login and whoami (and enable_toolset, which changes only the list)', () => {
    const { selection } = stdio({ INVOKER_TOOLSETS: 'all', INVOKER_READ_ONLY: '1' });
    const listed = toolsFor(selection);
    expect(listed.every((t) => t.annotations.readOnlyHint || t.name === 'login')).toBe(true);
    expect(listed.map((t) => t.name)).toEqual(expect.arrayContaining(['login', 'whoami', 'get_submissions', 'list_api_keys']));
    expect(listed.map((t) => t.name)).not.toContain('deploy');
  });

  it('lists `org` only while the orgs toolset is on', () => {
    expect(listsOrg(stdio({}).selection)).toBe(false);
    expect(listsOrg(stdio({ INVOKER_TOOLSETS: 'default,orgs' }).selection)).toBe(true);
    expect(listsOrg(remoteSelection(['read']))).toBe(true);
  });

  it('gives each remote scope its tools, never login, logout or enable_toolset', () => {
    const byScope = Object.fromEntries(SCOPES.map((scope) => [scope, names(remoteSelection([scope]))]));
    expect(byScope.read).toEqual(CATALOG.filter((t) => t.annotations.readOnlyHint && t.name !== 'enable_toolset').map((t) => t.name));
    expect(byScope.deploy).toEqual(['deploy', 'publish', 'update', 'patch_page', 'teardown', 'protect_site']);
    expect(byScope.forms).toEqual(['delete_submission', 'update_form_settings', 'create_webhook', 'delete_webhook']);
    expect(byScope.admin).toEqual(['create_api_key', 'revoke_api_key', 'create_sub_org', 'add_domain', 'remove_domain']);
    const every = names(remoteSelection(SCOPES));
    expect(every).toHaveLength(CATALOG.length - 3);
    for (const gone of ['login', 'logout', 'enable_toolset']) expect(every).not.toContain(gone);
    expect(names(remoteSelection([]))).toEqual([]);
  });

  it('puts future writes in the scope SPEC section 11 names', () => {
    const write = (toolset: (typeof TOOLSETS)[number]) => scopeOf({ name: 'x', toolset, readOnly: false });
    expect(['sites', 'extras'].map((t) => write(t as 'sites'))).toEqual(['deploy', 'deploy']);
    expect(['forms', 'webhooks'].map((t) => write(t as 'forms'))).toEqual(['forms', 'forms']);
    expect(['keys', 'orgs', 'domains'].map((t) => write(t as 'keys'))).toEqual(['admin', 'admin', 'admin']);
    expect(scopeOf({ name: 'list_domains', toolset: 'domains', readOnly: true })).toBe('read');
    expect(CATALOG.map(factsOf).filter((f) => f.stdioOnly).map((f) => f.name)).toEqual(['login', 'logout', 'enable_toolset']);
  });

  it('lists deploy and update with `path` on stdio only, and update\'s files in short form', () => {
    const stdio = selectionFromEnv({}, () => {});
    const remote = remoteSelection(SCOPES);
    const tool = (name: string) => CATALOG.find((t) => t.name === name) as (typeof CATALOG)[number];
    for (const name of ['deploy', 'update']) {
      expect(Object.keys(listedInput(tool(name), stdio).shape)).toContain('path');
      expect(Object.keys(listedInput(tool(name), remote).shape)).not.toContain('path');
    }
    // Listed short, checked in full: an unknown file field is still refused on call.
    const update = tool('update');
    expect(listedInput(update, stdio).safeParse({ id: 'dep_x', files: [{ path: 'a', content: 'b', bogus: 1 }] }).success).toBe(true);
    expect(update.inputSchema.safeParse({ id: 'dep_x', files: [{ path: 'a', content: 'b', bogus: 1 }] }).success).toBe(false);
  });
});

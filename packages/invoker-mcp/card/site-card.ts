// The site card (ui://invoker/site, SPEC section 12): an MCP App shown beside the result of deploy,
// update, patch_page, publish and get_status. It reads the site from the result's
// structuredContent, then asks for the rest through the host (get_status for the versions,
// get_submissions for the newest five), and its buttons call publish and teardown the same way.
// Everything a visitor or page author wrote (titles, submissions) goes in as text, never as HTML.
// Bundled with the ext-apps library into one document at build time (scripts/build-card.mjs).
import { App } from '@modelcontextprotocol/ext-apps';

interface Site {
  id: string;
  slug: string;
  url: string;
  preview_url: string;
  version: number;
  live_version?: number;
  submission_count?: number;
}
interface Version {
  version: number;
  preview_url: string;
  live: boolean;
  created_at: string;
}
interface Submission {
  id: string;
  data: Record<string, unknown>;
  created_at: string;
}
interface ToolResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const NEWEST_SUBMISSIONS = 5;

const app = new App({ name: 'invoker-site-card', version: '1' }, {}, { autoResize: true });
let site: Site | null = null;
let versions: Version[] = [];
let busy = false;

function text(result: ToolResult): string {
  return (result.content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : '')).join('\n');
}

function say(message: string): void {
  $('status').textContent = message;
}

function isSite(value: unknown): value is Site {
  const v = value as Partial<Site> | undefined;
  return typeof v?.id === 'string' && typeof v.url === 'string' && typeof v.preview_url === 'string' && typeof v.version === 'number';
}

async function call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const result = (await app.callServerTool({ name, arguments: args })) as ToolResult;
  if (result.isError) throw new Error(text(result) || `${name} failed`);
  return result;
}

/** A link the host opens (a sandboxed frame may not open windows itself). */
function hostLink(a: HTMLAnchorElement, url: string): void {
  a.href = url;
  a.textContent = url;
  a.onclick = (event) => {
    event.preventDefault();
    void app.openLink({ url }).catch(() => say(`Open ${url} in your browser.`));
  };
}

function renderSite(): void {
  if (!site) return;
  const live = site.live_version ?? null;
  $('card').removeAttribute('aria-busy');
  $('name').textContent = site.slug;
  const badge = $('badge');
  badge.hidden = false;
  badge.textContent = live === null ? 'Not published' : `Live: version ${live}`;
  badge.classList.toggle('live', live !== null);
  $('links').hidden = false;
  $('live-line').hidden = live === null;
  hostLink($<HTMLAnchorElement>('live-link'), site.url);
  hostLink($<HTMLAnchorElement>('preview-link'), site.preview_url);

  const box = $('frame-box');
  box.hidden = false;
  let frame = box.querySelector('iframe');
  if (!frame) {
    frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts allow-forms');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    box.append(frame);
  }
  frame.title = `Preview of ${site.slug}, version ${site.version}`;
  if (frame.getAttribute('src') !== site.preview_url) frame.src = site.preview_url;

  $('actions').hidden = false;
  const publish = $<HTMLButtonElement>('publish');
  publish.textContent = `Publish version ${site.version}`;
  publish.disabled = busy || live === site.version;
  const rollback = $<HTMLButtonElement>('rollback');
  const previous = live !== null && live > 1 ? live - 1 : null;
  rollback.textContent = previous === null ? 'Roll back' : `Roll back to version ${previous}`;
  rollback.disabled = busy || previous === null;
  $<HTMLButtonElement>('delete').disabled = busy;
  renderVersions();
}

function renderVersions(): void {
  if (!site || versions.length === 0) return;
  $('versions-box').hidden = false;
  const list = $('versions');
  list.replaceChildren(
    ...versions.map((v) => {
      const item = document.createElement('li');
      const name = document.createElement('strong');
      name.textContent = `Version ${v.version}`;
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = `${v.live ? 'live · ' : ''}${new Date(v.created_at).toLocaleString()}`;
      const preview = document.createElement('a');
      preview.textContent = 'Preview';
      preview.setAttribute('aria-label', `Preview version ${v.version}`);
      hostLink(preview, v.preview_url);
      preview.textContent = 'Preview';
      item.append(name, meta, preview);
      if (!v.live && site) {
        const live = site.live_version ?? 0;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.textContent = v.version < live ? `Roll back to version ${v.version}` : `Publish version ${v.version}`;
        button.disabled = busy;
        button.onclick = () => void publishVersion(v.version);
        item.append(button);
      }
      return item;
    }),
  );
}

/** Visitor text, as text: each field a term and its value, nothing parsed as markup. */
function renderSubmissions(page: { submissions: Submission[]; total: number }): void {
  $('subs-box').hidden = false;
  $('subs-title').textContent = `Submissions (${page.total})`;
  $('subs-note').textContent = page.total === 0 ? 'None yet.' : page.total > NEWEST_SUBMISSIONS ? `The newest ${NEWEST_SUBMISSIONS}:` : '';
  $('subs').replaceChildren(
    ...page.submissions.slice(0, NEWEST_SUBMISSIONS).map((s) => {
      const item = document.createElement('li');
      const when = document.createElement('time');
      when.dateTime = s.created_at;
      when.textContent = new Date(s.created_at).toLocaleString();
      const fields = document.createElement('dl');
      for (const [field, value] of Object.entries(s.data)) {
        const term = document.createElement('dt');
        term.textContent = field;
        const detail = document.createElement('dd');
        detail.textContent = Array.isArray(value) ? value.map(String).join(', ') : typeof value === 'string' ? value : JSON.stringify(value);
        fields.append(term, detail);
      }
      item.append(when, fields);
      return item;
    }),
  );
}

/** The site, its versions and its newest submissions, as they are now. */
async function refresh(): Promise<void> {
  if (!site) return;
  const status = await call('get_status', { id: site.id });
  if (isSite(status.structuredContent)) site = status.structuredContent;
  versions = ((status.structuredContent?.versions as Version[] | undefined) ?? []).slice();
  renderSite();
  const subs = await call('get_submissions', { deployment_id: site.id, limit: NEWEST_SUBMISSIONS });
  renderSubmissions(subs.structuredContent as unknown as { submissions: Submission[]; total: number });
}

async function act(doing: string, work: () => Promise<string>): Promise<void> {
  busy = true;
  renderSite();
  say(doing);
  try {
    say(await work());
  } catch (e) {
    say(e instanceof Error ? e.message : String(e));
  } finally {
    busy = false;
    renderSite();
  }
}

function publishVersion(version?: number): Promise<void> {
  if (!site) return Promise.resolve();
  const id = site.id;
  return act(version === undefined ? 'Publishing…' : `Making version ${version} live…`, async () => {
    const result = await call('publish', version === undefined ? { id } : { id, version });
    if (isSite(result.structuredContent)) site = result.structuredContent;
    await refresh();
    return `Version ${site?.live_version} is live at ${site?.url}.`;
  });
}

$('publish').onclick = () => void publishVersion();
$('rollback').onclick = () => {
  const live = site?.live_version;
  if (live && live > 1) void publishVersion(live - 1);
};
$('delete').onclick = () => {
  if (!site) return;
  $('confirm-text').textContent =
    `Delete ${site.slug} for good? Its ${site.version} version(s) and ${site.submission_count ?? 0} submission(s) go with it, and ${site.url} stops answering.`;
  $('confirm').hidden = false;
  $('cancel-delete').focus();
};
$('cancel-delete').onclick = () => {
  $('confirm').hidden = true;
  $('delete').focus();
};
$('confirm-delete').onclick = () => {
  if (!site) return;
  const gone = site;
  $('confirm').hidden = true;
  void act('Deleting…', async () => {
    await call('teardown', { id: gone.id, confirm: true });
    site = null;
    for (const id of ['frame-box', 'actions', 'versions-box', 'subs-box', 'links', 'badge']) $(id).hidden = true;
    $('frame-box').replaceChildren();
    $('name').textContent = `${gone.slug} (deleted)`;
    return `Deleted ${gone.slug}: ${gone.url} no longer answers.`;
  });
};

app.ontoolresult = (result) => {
  const r = result as ToolResult;
  if (r.isError) {
    $('name').textContent = 'Invoker';
    say(text(r));
    return;
  }
  if (!isSite(r.structuredContent)) return;
  site = r.structuredContent;
  versions = ((r.structuredContent.versions as Version[] | undefined) ?? []).slice();
  renderSite();
  refresh().catch((e: unknown) => say(e instanceof Error ? e.message : String(e)));
};

app.connect().catch((e: unknown) => say(`Could not reach the host: ${e instanceof Error ? e.message : String(e)}`));

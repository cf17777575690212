// How a site is described to the model: URLs in full so a person reading the conversation can
// click them. Its title is visitor-controlled text: tools frame it with untrusted() (untrusted-text.ts).
import type { Site } from '../../contract/sites.js';

export function siteStatusLine(site: Site): string {
  const live = site.live_version === null ? `not published yet (will be ${site.url})` : `live at ${site.url} (version ${site.live_version})`;
  return `${site.slug} (${site.id}): ${live}; newest version ${site.version}, preview ${site.preview_url}; ${site.submission_count} submission(s)`;
}

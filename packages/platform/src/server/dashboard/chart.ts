// The site page's chart of submissions per day: an inline SVG drawn on the server (no script, no
// library), coloured by the dashboard's stylesheet, with a text summary for screen readers.
import { html } from 'hono/html';
import type { Html } from './layout.js';

const WIDTH = 600;
const HEIGHT = 150;
const TOP = 22;
const BOTTOM = 24;

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayLabel = (day: string) => DAY.format(new Date(`${day}T00:00:00Z`));

export function submissionsChart(days: Array<{ day: string; count: number }>): Html {
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const busiest = days.reduce((best, d) => (d.count > best.count ? d : best), { day: '', count: 0 });
  const max = Math.max(1, busiest.count);
  const slot = WIDTH / days.length;
  const plot = HEIGHT - TOP - BOTTOM;
  const summary =
    total === 0
      ? `No submissions in the last ${days.length} days.`
      : `${total} submission(s) in the last ${days.length} days; the busiest day was ${dayLabel(busiest.day)} with ${busiest.count}.`;
  const first = days[0];
  const last = days[days.length - 1];
  return html`<figure class="card">
<figcaption><strong>Submissions per day</strong>, last ${days.length} days (UTC)</figcaption>
<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title" aria-describedby="chart-summary">
<title id="chart-title">Submissions per day</title>
<line class="axis" x1="0" y1="${HEIGHT - BOTTOM}" x2="${WIDTH}" y2="${HEIGHT - BOTTOM}"></line>
<text x="0" y="16">${max}</text>
${days.map((d, i) => {
  const h = d.count === 0 ? 0 : Math.max(2, Math.round((d.count / max) * plot));
  return html`<rect class="bar" x="${(i * slot + slot * 0.15).toFixed(1)}" y="${HEIGHT - BOTTOM - h}" width="${(slot * 0.7).toFixed(1)}" height="${h}"><title>${dayLabel(d.day)}: ${d.count}</title></rect>`;
})}
${first ? html`<text x="0" y="${HEIGHT - 4}">${dayLabel(first.day)}</text>` : ''}
${last ? html`<text x="${WIDTH}" y="${HEIGHT - 4}" text-anchor="end">${dayLabel(last.day)}</text>` : ''}
</svg>
<p class="muted" id="chart-summary">${summary}</p>
</figure>`;
}

// Result rows, the console table and the markdown document.
import { cpus, totalmem, type as osType, release } from 'node:os';

export interface Row {
  what: string;
  ours: string;
  baseline: string;
  /** ours ÷ baseline in the direction the target is written; null when there is no baseline. */
  ratio: number | null;
  target: string;
  /** null: informational, no target to meet. */
  met: boolean | null;
  /** For a row not met: what the profile or measurement showed, and what would be needed. */
  needed?: string;
}

export interface Section {
  name: string;
  title: string;
  rows: Row[];
  /** Free text: how it was measured, caveats, profile findings. Markdown allowed. */
  notes: string[];
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

const metText = (met: boolean | null): string => (met === null ? '—' : met ? 'met' : 'NOT MET');

function cells(row: Row): string[] {
  return [row.what, row.ours, row.baseline, row.ratio === null ? '—' : ratio(row.ratio), row.target, metText(row.met)];
}

const HEADER = ['what', 'ours', 'baseline', 'ratio', 'target', 'met?'];

export function printSection(section: Section): void {
  if (section.rows.length === 0) {
    console.log(`\n${section.title}`);
    for (const note of section.notes) console.log(`  · ${note.replace(/\n/g, '\n    ')}`);
    return;
  }
  const rows = [HEADER, ...section.rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${section.title}`);
  console.log(line(rows[0] as string[]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  for (const note of section.notes) console.log(`  · ${note.replace(/\n/g, '\n    ')}`);
  for (const r of section.rows) if (r.met === false && r.needed) console.log(`  ✗ ${r.what}: ${r.needed}`);
}

export function machine(): string[] {
  const cpu = cpus();
  return [
    `CPU: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length} cores`,
    `Memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `OS: ${osType()} ${release()}`,
    `Node: ${process.version}`,
  ];
}

const escape = (text: string) => text.replace(/\|/g, '\\|');

export function markdown(sections: Section[], info: { command: string; date: string; durationSeconds: number; extra: string[] }): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    'Invoker measured against baselines started in the same run, on the same machine, over loopback. ' +
      'Every figure is a ratio to a baseline measured minutes apart, because absolute numbers on a shared ' +
      'machine are noise. There are no timed assertions in `npm test`; this document is the record.',
    '',
  );
  out.push(`- Command: \`${info.command}\``);
  out.push(`- Date: ${info.date} (whole run: ${Math.round(info.durationSeconds)} s)`);
  for (const m of machine()) out.push(`- ${m}`);
  for (const e of info.extra) out.push(`- ${e}`);
  out.push('', '## Summary', '');
  out.push(`| ${HEADER.join(' | ')} |`, `| ${HEADER.map(() => '---').join(' | ')} |`);
  for (const s of sections) for (const r of s.rows) out.push(`| ${cells(r).map(escape).join(' | ')} |`);
  const notMet = sections.flatMap((s) => s.rows.filter((r) => r.met === false));
  if (notMet.length) {
    out.push('', '## Rows not met: what the profile showed and what would be needed', '');
    for (const r of notMet) out.push(`- **${r.what}** (${r.ratio === null ? '—' : ratio(r.ratio)}, target ${r.target}). ${r.needed ?? 'No analysis recorded.'}`);
  }
  for (const s of sections) {
    out.push('', `## ${s.title}`, '');
    if (s.rows.length) {
      out.push(`| ${HEADER.join(' | ')} |`, `| ${HEADER.map(() => '---').join(' | ')} |`);
      for (const r of s.rows) out.push(`| ${cells(r).map(escape).join(' | ')} |`);
      out.push('');
    }
    // A table must stand apart from the list around it, or markdown folds it into the list item.
    for (const note of s.notes) out.push(...(note.startsWith('|') ? ['', note, ''] : [`- ${note}`]));
  }
  out.push('');
  return out.join('\n');
}

// Reading a V8 .cpuprofile (node --cpu-prof): self time by function and by where the code lives.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface Frame {
  name: string;
  where: string;
  selfPercent: number;
}

/** Which code a frame belongs to, by its script URL. */
function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'V8/native (program)';
  if (url === '') return 'native/builtin';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/dist/')) return 'invoker (dist/)';
  if (url.includes('/bin/')) return 'invoker (bin/)';
  return url;
}

function shortUrl(url: string): string {
  const pkg = /node_modules\/(.+)$/.exec(url);
  if (pkg) return pkg[1] as string;
  const dist = /\/(dist\/.+)$/.exec(url);
  if (dist) return dist[1] as string;
  return url;
}

export function summarise(
  file: string,
  top = 15,
): { frames: Frame[]; areas: Array<{ area: string; selfPercent: number }>; scripts: Array<{ area: string; count: number }> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const hits = new Map<number, number>();
  for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const byFrame = new Map<string, Frame>();
  const byArea = new Map<string, number>();
  // Scripts that ran any sampled or unsampled function: a floor on how many modules were loaded.
  const scripts = new Map<string, Set<string>>();
  for (const node of profile.nodes) {
    const u = node.callFrame.url;
    if (u.startsWith('file://')) {
      const a = area(u, node.callFrame.functionName);
      if (!scripts.has(a)) scripts.set(a, new Set());
      scripts.get(a)!.add(u);
    }
  }
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (n === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const keyName = `${name}@${where}`;
    const f = byFrame.get(keyName) ?? { name, where, selfPercent: 0 };
    f.selfPercent += (100 * n) / total;
    byFrame.set(keyName, f);
    const a = area(url, name);
    byArea.set(a, (byArea.get(a) ?? 0) + (100 * n) / total);
  }
  return {
    frames: [...byFrame.values()].sort((a, b) => b.selfPercent - a.selfPercent).slice(0, top),
    scripts: [...scripts.entries()].map(([a, set]) => ({ area: a, count: set.size })).sort((a, b) => b.count - a.count),
    areas: [...byArea.entries()].map(([a, p]) => ({ area: a, selfPercent: p })).sort((a, b) => b.selfPercent - a.selfPercent).slice(0, 12),
  };
}

// autocannon as a separate process (so the load generator never shares an event loop with the
// server under test), with its JSON summary parsed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './proc.js';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: string;
  headers?: Record<string, string>;
  /** A file whose bytes are the request body. */
  bodyFile?: string;
  warmupSeconds?: number;
  /** Told autocannon's pid once it runs (for CPU accounting). */
  onSpawn?: (pid: number) => void;
}

export function autocannon(options: LoadOptions): Promise<LoadResult> {
  const args = [join(ROOT, 'node_modules/autocannon/autocannon.js'), '--json', '-c', String(options.connections), '-d', String(options.seconds)];
  if (options.method) args.push('-m', options.method);
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (options.bodyFile) args.push('-i', options.bodyFile);
  if (options.warmupSeconds) args.push('--warmup', '[', '-c', String(options.connections), '-d', String(options.warmupSeconds), ']');
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err}`));
      // With --warmup, autocannon prints the warm-up summary first: the measured run is the last line.
      const last = out.trim().split('\n').pop() ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(last);
      } catch {
        return reject(new Error(`autocannon printed no JSON summary: ${out.slice(0, 500)} ${err}`));
      }
      const r = parsed as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        requestsPerSecond: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        total: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    });
  });
}

/**
 * Runs each load in turn, round after round, and keeps per load the median of the rounds' req/s,
 * p50 and p99: on a shared machine a burst of someone else's work then lands on one round of one
 * load instead of the whole of it.
 */
export async function alternate<K extends string>(rounds: number, loads: Record<K, () => Promise<LoadResult>>): Promise<Record<K, LoadResult & { rounds: number[] }>> {
  const seen = {} as Record<K, LoadResult[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(loads) as K[]) {
      const r = await loads[name]();
      (seen[name] ??= []).push(r);
    }
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
  const out = {} as Record<K, LoadResult & { rounds: number[] }>;
  for (const name of Object.keys(loads) as K[]) {
    const rs = seen[name];
    out[name] = {
      requestsPerSecond: mid(rs.map((r) => r.requestsPerSecond)),
      p50: mid(rs.map((r) => r.p50)),
      p99: mid(rs.map((r) => r.p99)),
      total: rs.reduce((s, r) => s + r.total, 0),
      non2xx: rs.reduce((s, r) => s + r.non2xx, 0),
      errors: rs.reduce((s, r) => s + r.errors, 0),
      rounds: rs.map((r) => Math.round(r.requestsPerSecond)),
    };
  }
  return out;
}

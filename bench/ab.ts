// `npm run bench:ab -- --against REF [--rounds N] [name…]`: the named benchmarks (default: deploy,
// serve, me) of an earlier commit and of this checkout, run one after the other, N rounds each, in
// the same session. On a shared machine the absolute figures drift by 2–4× between sessions, and a
// ratio to a baseline drifts too, so "is this change slower than that commit" is only answered by
// running both side by side: this prints, per row, the median ratio of each and the new ÷ old.
//
// REF is a git ref (checked out and built once into a temporary worktree, kept for the next run) or
// the directory of a checkout whose dist-bench/ is already built.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/proc.js';
import { median } from './lib/stats.js';

interface Options {
  against: string;
  rounds: number;
  names: string[];
}

function parseArgs(argv: string[]): Options | string {
  const names: string[] = [];
  let against: string | undefined;
  let rounds = 3;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--against') against = argv[++i];
    else if (arg === '--rounds') rounds = Number(argv[++i]);
    else if (arg.startsWith('--')) return `Unknown option ${arg}.`;
    else names.push(arg);
  }
  if (!against) return 'Name the commit to compare with: --against REF (a git ref, or a built checkout directory).';
  if (!Number.isInteger(rounds) || rounds < 1) return '--rounds takes a whole number of at least 1.';
  return { against, rounds, names: names.length ? names : ['deploy', 'serve', 'me'] };
}

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status})`);
}

/** A built checkout of ref: the directory itself, or a worktree made and built once. */
function checkout(ref: string): string {
  if (existsSync(join(ref, 'dist-bench/bench/index.js'))) return ref;
  const sha = spawnSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' });
  if (sha.status !== 0) throw new Error(`${ref} is neither a built checkout nor a commit of this repository.`);
  const dir = join(tmpdir(), `invoker-ab-${sha.stdout.trim().slice(0, 12)}`);
  if (!existsSync(join(dir, 'dist-bench/bench/index.js'))) {
    console.error(`[ab] building ${ref} in ${dir} (once)…`);
    if (!existsSync(dir)) sh('git', ['worktree', 'add', '--detach', dir, sha.stdout.trim()], ROOT);
    // npm ci runs the build (prepare); the benchmarks compile with this checkout's TypeScript.
    sh('npm', ['ci', '--no-audit', '--no-fund'], dir);
    sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bench.json'], dir);
  }
  return dir;
}

/** The printed tables of one benchmark run: row → ratio. */
function runOnce(dir: string, name: string): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    // BENCH_BACKEND and the rest of the environment pass through, so both sides run alike.
    const child = spawn(process.execPath, [join(dir, 'dist-bench/bench/index.js'), name], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(ratios(out)) : reject(new Error(`${name} in ${dir} exited with ${code}`))));
  });
}

/** Table rows are columns two spaces apart; the ratio column is the one written as `0.00×`. */
export function ratios(printed: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of printed.split('\n')) {
    const cols = line.split(/ {2,}/).map((c) => c.trim());
    const at = cols.findIndex((c, i) => i > 0 && /^\d+(\.\d+)?×$/.test(c));
    if (at > 0) found.set(cols[0] as string, Number.parseFloat(cols[at] as string));
  }
  return found;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    console.error(options);
    return 2;
  }
  const old = checkout(options.against);
  const seen = { old: new Map<string, number[]>(), new: new Map<string, number[]>() };
  for (let round = 1; round <= options.rounds; round++) {
    for (const name of options.names) {
      // Alternating which side goes first, so neither always runs on the warmer machine.
      const order: Array<['old' | 'new', string]> = round % 2 ? [['old', old], ['new', ROOT]] : [['new', ROOT], ['old', old]];
      for (const [side, dir] of order) {
        console.error(`[ab] round ${round}/${options.rounds}: ${name} (${side})…`);
        for (const [row, value] of await runOnce(dir, name)) {
          const list = seen[side].get(row) ?? [];
          list.push(value);
          seen[side].set(row, list);
        }
      }
    }
  }
  console.log(`\nnew (${ROOT}) against old (${options.against}), median ratio to each run's own baseline over ${options.rounds} rounds`);
  console.log('| row | old | new | new ÷ old |\n| --- | ---: | ---: | ---: |');
  for (const [row, values] of seen.new) {
    const before = seen.old.get(row);
    const now = median(values);
    const was = before ? median(before) : Number.NaN;
    const quotient = before ? (now / was).toFixed(2) : 'only in new';
    console.log(`| ${row} | ${before ? `${was.toFixed(2)}× (${before.join(', ')})` : '—'} | ${now.toFixed(2)}× (${values.join(', ')}) | ${quotient} |`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

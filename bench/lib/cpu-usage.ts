// CPU time of processes and of the whole machine, from /proc (Linux only), so a benchmark can say
// where the cores went during a load: which process was busy, and whether the machine was full.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) the process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine (every core, every process: this run's and anyone else's). */
export function machineBusySeconds(): number {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: all but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

/** Processes whose command line contains text (PostgreSQL's backends name their database there). */
export function pidsMatching(text: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) out.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * CPU used by groups of processes while fn runs, each as a share of one core. Sampled every 100 ms,
 * so a process that ends meanwhile (the load generator, a database backend) keeps what it used up to
 * its last sample; one that starts meanwhile counts from zero.
 */
export async function cpuDuring<T>(groups: Record<string, () => number[]>, fn: () => Promise<T>): Promise<{ result: T; cores: Record<string, number> }> {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const member = new Map<number, string>();
  const sample = (initial: boolean) => {
    for (const [name, pids] of Object.entries(groups)) {
      for (const pid of pids()) {
        const used = cpuSeconds(pid);
        if (used === 0) continue;
        member.set(pid, name);
        if (!first.has(pid)) first.set(pid, initial ? used : 0);
        last.set(pid, used);
      }
    }
  };
  sample(true);
  const machineBefore = machineBusySeconds();
  const t = performance.now();
  const timer = setInterval(() => sample(false), 100);
  let result: T;
  try {
    result = await fn();
  } finally {
    clearInterval(timer);
  }
  sample(false);
  const seconds = (performance.now() - t) / 1000;
  const cores: Record<string, number> = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
  for (const [pid, name] of member) cores[name] = (cores[name] ?? 0) + ((last.get(pid) ?? 0) - (first.get(pid) ?? 0)) / seconds;
  cores.machine = (machineBusySeconds() - machineBefore) / seconds;
  return { result, cores };
}

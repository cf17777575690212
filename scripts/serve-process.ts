// Waiting for a spawned `invoker-mcp serve` to listen: the URL it prints on stderr, for the test
// harness (test/helpers/platform.ts) and the benchmarks (bench/lib/proc.ts).
import type { ChildProcess } from 'node:child_process';

/**
 * `url` resolves with the address serve prints once it listens, and rejects when serve exits first
 * or takes longer than timeoutMs. `stderr()` is everything serve has written there so far; reading
 * it keeps the pipe drained, so a chatty server never blocks.
 */
export function listeningUrl(child: ChildProcess, timeoutMs: number): { url: Promise<string>; stderr(): string } {
  const stream = child.stderr;
  if (!stream) throw new Error('spawn serve with stderr piped: its address is printed there');
  let stderr = '';
  stream.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${stderr}`)), timeoutMs);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (!m) return;
      clearTimeout(timer);
      stream.off('data', onData);
      resolve(m[1] as string);
    };
    stream.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stderr}`));
    });
  });
  return { url, stderr: () => stderr };
}

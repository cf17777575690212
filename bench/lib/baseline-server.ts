// The minimal node:http baselines, run as their own process (`node baseline-server.js <mode> <arg>`):
//   static <file>  answers every GET with the file's bytes, held in memory
//   fsync <dir>    takes a POST body, writes it to a file in dir, fsyncs, answers 200
// Prints {"port":N} on stdout once listening on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [mode, arg] = process.argv.slice(2);
if (!arg || (mode !== 'static' && mode !== 'fsync')) {
  console.error('usage: baseline-server static <file> | fsync <dir>');
  process.exit(2);
}

let counter = 0;
const body = mode === 'static' ? readFileSync(arg) : Buffer.alloc(0);
const contentType = arg.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8';

const server = createServer((req, res) => {
  if (mode === 'static') {
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length });
    res.end(body);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    // A file per in-flight slot: concurrent requests never write the same file.
    const file = await open(join(arg, `${counter++ % 256}.body`), 'w');
    try {
      await file.writeFile(Buffer.concat(chunks));
      await file.sync();
    } finally {
      await file.close();
    }
    const answer = '{"ok":true}';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

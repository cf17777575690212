// Build step (npm run build): writes dist/mcp/manifest.json from the real server, so the replayed
// handshake can never drift from the code.
import { writeFileSync } from 'node:fs';
import { buildManifest } from './manifest.js';
import { packageVersion } from '../version.js';

const manifest = await buildManifest(packageVersion());
writeFileSync(new URL('./manifest.json', import.meta.url), `${JSON.stringify(manifest)}\n`);

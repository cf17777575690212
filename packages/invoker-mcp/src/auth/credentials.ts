// The credentials file (SPEC section 3): $INVOKER_CONFIG_DIR/credentials.json, directory 0700,
// file 0600 re-applied on every write, written atomically (temp file, fsync, rename) so that several
// MCP processes writing at once never leave a half-written file.
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { createFileAtomically, replaceFileAtomically } from '../atomic-file.js';
import { AppError } from '../errors.js';

export const CredentialsSchema = z.object({
  api_key: z.string(),
  email: z.string(),
  org_id: z.string(),
  api_url: z.string(),
  created_at: z.string(),
  key_id: z.string().optional(),
});
export type Credentials = z.infer<typeof CredentialsSchema>;

export function credentialsPath(configDir: string): string {
  return join(configDir, 'credentials.json');
}

/** The stored credentials, or null when there is no file. A corrupt file is a clear error. */
export async function readCredentials(configDir: string): Promise<Credentials | null> {
  const file = credentialsPath(configDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('config', `Cannot read ${file} (${(e as Error).message}). Fix its permissions, or delete it and log in again.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('config', `${file} is not valid JSON. Delete it and log in again (invoker-mcp login).`);
  }
  const result = CredentialsSchema.safeParse(parsed);
  if (!result.success) {
    throw new AppError('config', `${file} is missing fields Invoker needs. Delete it and log in again (invoker-mcp login).`);
  }
  return result.data;
}

/** The folder of a secret file, created 0700 (and tightened back to 0700 if it was opened up). */
async function secretDir(file: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') {
    const info = await stat(dir);
    if (info.mode & 0o077) await chmod(dir, 0o700);
  }
}

/** Writes a secret file atomically with mode 0600 inside a 0700 directory. */
export async function writeSecretFile(file: string, contents: string): Promise<void> {
  await secretDir(file);
  await replaceFileAtomically(file, contents, 0o600);
}

/** As writeSecretFile, but only when the file does not exist yet; false when another writer was first. */
export async function createSecretFile(file: string, contents: string): Promise<boolean> {
  await secretDir(file);
  return createFileAtomically(file, contents, 0o600);
}

export async function writeCredentials(configDir: string, credentials: Credentials): Promise<string> {
  const file = credentialsPath(configDir);
  await writeSecretFile(file, `${JSON.stringify(credentials, null, 2)}\n`);
  return file;
}

export async function removeCredentials(configDir: string): Promise<boolean> {
  try {
    await rm(credentialsPath(configDir));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

// What both command-line entry points share (this package's cli.ts and the platform's): where output
// goes, and flags parsed strictly with a message that says what to do.
import { parseArgs } from 'node:util';
import { AppError } from './errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export function parseFlags<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new AppError('invalid_input', `${(e as Error).message}. Run \`invoker-mcp --help\` for the options.`);
  }
}


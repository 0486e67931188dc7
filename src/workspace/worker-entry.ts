import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How to start a worker thread whose entry lives in `directory` (the caller's `__dirname`): its
 * bundle there (dist/, beside the bundle starting it), or, when running from source (tests), its
 * TypeScript entry through tsx, whose loader hooks workers do not inherit.
 */
export function workerEntry(directory: string, bundle: string, source: string): { file: string; execArgv?: string[] } {
  const bundled = join(directory, bundle);
  if (existsSync(bundled)) return { file: bundled };
  return { file: join(directory, source), execArgv: ['--require', 'tsx/cjs'] };
}

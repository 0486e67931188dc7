import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const repository = join(__dirname, '..', '..');

/** npm's own CLI, run by this Node. */
export function npm(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): string {
  return execFileSync('npm', args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A scratch directory, removed when the test file ends; call it at the top level of a test file or a describe. */
export function scratchDirectory(prefix: string): string {
  const directory = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  after(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** `npm pack` of the repository (its `prepare` builds dist/ first) into `out`; the tarball's path. */
export function packRepository(out: string): string {
  const name = npm(['pack', '--pack-destination', out, '--foreground-scripts=false'], { cwd: repository }).trim().split('\n').at(-1)!;
  return join(out, name);
}

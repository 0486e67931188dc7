import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USAGE_FILE_VARIABLE, type ProcessUsage } from './process-usage';

export interface TimedRun extends ProcessUsage {
  /** From spawn to exit, as the user waits for it: Node's start-up included. */
  wallMs: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` with the usage reporter preloaded (a bundle of process-usage.ts) and times it
 * from spawn to exit.
 */
export function runTimed(usageReporter: string, args: readonly string[], cwd: string): Promise<TimedRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'interleave-bench-'));
  const usageFile = join(scratch, 'usage.json');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', usageReporter, ...args], {
      cwd,
      env: { ...process.env, [USAGE_FILE_VARIABLE]: usageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - started;
      try {
        const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as ProcessUsage;
        resolve({ ...usage, wallMs, exitCode, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
      } catch (error) {
        reject(new Error(`node ${args.join(' ')} exited ${exitCode} without reporting its usage: ${Buffer.concat(stderr).toString()}`, { cause: error }));
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { main } from '../../src/cli/main';

/** The canonical IL101 example from the seed notes: a read, an await, a write from the stale read. */
export const SEED_RACE = `import asyncio
from fastapi import FastAPI
app = FastAPI()
class RequestCounter:
    count = 0
@app.get("/count")
async def handle_request():
    current_count = RequestCounter.count
    await asyncio.sleep(0.001)
    RequestCounter.count = current_count + 1   # IL101 here
    return {"count": RequestCounter.count}
`;

/** A file without any hazard. */
export const CLEAN_MODULE = `from fastapi import FastAPI
app = FastAPI()
@app.get("/health")
async def health():
    return {"ok": True}
`;

/** A coroutine that blocks the event loop: IL201 on line 5, with a safe fix. */
export const BLOCKING_MODULE = `import time


async def handler():
    time.sleep(1)
`;

/** A FastAPI app whose handler blocks: IL201 on line 9. */
export const BLOCKING_HANDLERS = `import time
from fastapi import FastAPI

app = FastAPI()


@app.get("/a")
async def a():
    time.sleep(1)
    return {}
`;

/** One more blocking handler, to append to BLOCKING_HANDLERS: a new finding of the same rule in the same file. */
export const NEW_BLOCKING_HANDLER = `

@app.get("/b")
async def b():
    time.sleep(2)
    return {}
`;

/**
 * Writes a temporary project (path → text or bytes) and removes it when the test file finishes.
 * Returns its real path, so paths in output compare equal on systems where tmp is a symlink.
 */
export function makeProject(files: Record<string, string | Uint8Array>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'interleave-')));
  after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `interleave` in-process with captured output; not a terminal and no colour unless asked. */
export async function runCli(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string>; stdoutIsTTY?: boolean; stderrIsTTY?: boolean },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await main(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.stdoutIsTTY ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.stderrIsTTY ?? false },
    cwd: options.cwd,
    env: options.env ?? {},
  });
  return { status, stdout, stderr };
}

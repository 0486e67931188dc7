/**
 * `npm run sandbox`: a real VS Code in the browser with the packaged extension installed and a
 * fresh copy of the example app open, to try Interleave as a user would. Ctrl+C stops it.
 *   npm run sandbox [-- --port 8080]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyExampleApp, REPOSITORY, startCodeServer } from './code-server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
  const scratch = mkdtempSync(join(tmpdir(), 'interleave-sandbox-'));
  const vsix = join(scratch, 'interleave.vsix');
  execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'package-vsix.mjs'), '--out', vsix], { stdio: 'inherit' });
  const workspace = copyExampleApp(scratch);
  const server = await startCodeServer({ workspace, vsix, port: Number(values.port) });
  console.log(`\nVS Code with Interleave: ${server.url}\nThe example app is a copy in ${workspace}; Ctrl+C stops the server and deletes it.`);
  const stop = (): void => {
    void server.stop().then(() => {
      rmSync(scratch, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();

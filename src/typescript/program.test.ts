import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../test/support/cli';

const PROJECT = join(__dirname, '..', '..', 'test', 'fixtures', 'projects', 'typescript-program');

/** `path:line code` for each `// expect: IL403` marker of the project's sources. */
function markers(file: string): string[] {
  return readFileSync(join(PROJECT, file), 'utf8')
    .split('\n')
    .flatMap((text, index) => {
      const match = /\/\/ expect: (IL\d{3})/.exec(text);
      return match ? [`${file}:${index + 1} ${match[1]}`] : [];
    });
}

describe('TypeScript with a tsconfig.json', () => {
  it('resolves `paths` imports across files and finds floating promises by their type', async () => {
    const run = await runCli(['check', '.', '--format', 'json', '--exit-zero'], { cwd: PROJECT });
    assert.equal(run.status, 0, run.stderr);
    const hazards = JSON.parse(run.stdout) as { code: string; filename: string; location: { row: number } }[];
    const found = hazards.map((hazard) => `${relative(PROJECT, hazard.filename)}:${hazard.location.row} ${hazard.code}`).sort();
    assert.deepEqual(found, markers('src/routes/checkout.ts').sort());
  });
});

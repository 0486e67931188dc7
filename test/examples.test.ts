import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../src/rules';
import { runCli } from './support/cli';

const EXAMPLES = join(__dirname, '..', 'examples');
const registered = new Set(RULES.map((rule) => rule.meta.code));
const MARKER = /(?:#|\/\/)\s*expect(-next-line)?:\s*((?:IL\d{3})(?:\s*,\s*IL\d{3})*)/;

/** Every file of an example, but for the cache `check` keeps there (its entries quote the source's markers). */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === '.interleave_cache') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

/** `path:line code` for every `# expect: IL101` (same line) or `# expect-next-line: IL602` marker. */
function expectedHazards(root: string): string[] {
  return files(root).flatMap((path) =>
    readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .flatMap((text, index) => {
        const match = MARKER.exec(text);
        if (!match) return [];
        const line = index + 1 + (match[1] ? 1 : 0);
        return match[2]!.split(/\s*,\s*/).map((code) => `${relative(root, path)}:${line} ${code}`);
      }),
  );
}

// The example apps are documentation: every hazard they mark is reported where it is marked, and
// nothing else is (their corrected forms and non-hazards stay silent). Markers for rules not yet
// registered are listed as pending.
for (const example of readdirSync(EXAMPLES)) {
  const root = join(EXAMPLES, example);
  describe(`example ${example}`, () => {
    const expected = expectedHazards(root);
    const pending = expected.filter((marker) => !registered.has(marker.split(' ')[1]!));
    it('reports exactly the marked hazards', async () => {
      const run = await runCli(['check', '.', '--format', 'json', '--exit-zero'], { cwd: root });
      assert.equal(run.status, 0, run.stderr);
      const hazards = JSON.parse(run.stdout) as { code: string; filename: string; location: { row: number } }[];
      const actual = hazards.map((h) => `${relative(root, h.filename)}:${h.location.row} ${h.code}`).sort();
      assert.deepEqual(actual, expected.filter((marker) => !pending.includes(marker)).sort());
    });
    if (pending.length > 0) it.todo(`pending rules: ${pending.join(', ')}`);
  });
}

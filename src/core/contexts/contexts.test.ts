import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../test/support/cli';
import { FIXTURES_ROOT, parseExpectations } from '../../../test/support/fixture-expectations';
import type { JsonModuleContexts } from '../../cli/contexts-command';
import type { JsonHazard } from '../../cli/json-format';

const CONTEXTS = /(?:#|\/\/)\s*contexts:\s*([\w-]+(?:\s*,\s*[\w-]+)*)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(py|[cm]?[jt]s)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Fixture projects under test/fixtures/contexts/<language>/<project>/: a `# contexts: a, b`
 * comment on a function's line lists the contexts the model must give it (`unknown` for none),
 * and the rules' `# IL201` / `# OK` expectations hold with every rule on.
 */
for (const language of ['python', 'typescript']) {
  const languageRoot = join(FIXTURES_ROOT, 'contexts', language);
  for (const project of readdirSync(languageRoot)) {
    const root = join(languageRoot, project);
    describe(`execution contexts of the ${language} project ${project}`, () => {
      it('gives every annotated function exactly its annotated contexts', async () => {
        const run = await runCli(['contexts', '--format', 'json', '.'], { cwd: root });
        assert.equal(run.status, 0, run.stderr);
        const modules = JSON.parse(run.stdout) as JsonModuleContexts[];
        const mismatches: string[] = [];
        for (const file of sourceFiles(root)) {
          const name = relative(root, file);
          const module = modules.find((candidate) => candidate.filename === name);
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((text, index) => {
              const wanted = CONTEXTS.exec(text)?.[1]?.split(/\s*,\s*/).sort();
              if (!wanted) return;
              const fn = module?.functions.find((candidate) => candidate.row === index + 1);
              const actual = fn?.contexts.length ? [...new Set(fn.contexts.map((witness) => witness.kind))].sort() : ['unknown'];
              if (wanted.join() !== actual.join()) mismatches.push(`${name}:${index + 1} ${fn?.name ?? '?'}: wanted ${wanted.join(', ')}, got ${actual.join(', ')}`);
            });
        }
        assert.deepEqual(mismatches, []);
      });

      it('reports the annotated hazards and nothing on the lines marked OK', async () => {
        const run = await runCli(['check', '--format', 'json', '--select', 'ALL', '--exit-zero', '.'], { cwd: root });
        assert.equal(run.status, 0, run.stderr);
        const hazards = JSON.parse(run.stdout) as JsonHazard[];
        const wrong: string[] = [];
        for (const file of sourceFiles(root)) {
          const name = relative(root, file);
          const { expected, negatives } = parseExpectations(readFileSync(file, 'utf8'));
          const here = hazards.filter((hazard) => relative(root, hazard.filename) === name);
          for (const [line, codes] of expected) {
            for (const code of codes) if (!here.some((hazard) => hazard.code === code && hazard.location.row === line + 1)) wrong.push(`${name}:${line + 1} missing ${code}`);
          }
          for (const line of negatives) {
            for (const hazard of here.filter((candidate) => candidate.location.row === line + 1)) wrong.push(`${name}:${line + 1} OK but ${hazard.code}: ${hazard.message}`);
          }
        }
        assert.deepEqual(wrong, []);
      });
    });
  }
}

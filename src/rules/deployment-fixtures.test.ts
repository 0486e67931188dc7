import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyTextEdits } from '../core/text-edits';
import { analyzePython, loadPythonParser } from '../python/frontend';
import { parseDeploymentFile } from '../workspace/deployment-parsers';
import { checkProjectDirectory } from '../../test/support/analyze-deployment';
import { caseFiles, deploymentFixtureCases, parseDeploymentExpectations } from '../../test/support/fixture-expectations';
import { describeFixes, FIX_SNAPSHOT_EXTENSION, fixSnapshot } from '../../test/support/fix-snapshots';
import { RULES } from '.';

const copies: string[] = [];
after(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/** `file:line` of each hazard of one rule in a checked project directory. */
async function reported(root: string, code: string): Promise<string[]> {
  const outcomes = await checkProjectDirectory(root, { select: [code] });
  for (const outcome of outcomes) assert.deepEqual(outcome.problems, [], relative(root, outcome.path));
  return outcomes
    .flatMap((outcome) => outcome.hazards)
    .map((hazard) => `${relative(root, hazard.path)}:${hazard.range.start.line + 1}`)
    .sort();
}

// Deployment rules read whole projects (the app's modules and its deployment files), so each
// fixture case is a small project directory whose files carry the expectations.
for (const rule of RULES.filter((candidate) => candidate.meta.family === 'deployment')) {
  const { code, name } = rule.meta;
  describe(`${code} ${name} deployment fixtures`, () => {
    for (const root of deploymentFixtureCases(name)) {
      it(`reports exactly the annotated lines of ${basename(root)}`, async () => {
        const expected: string[] = [];
        const negatives: string[] = [];
        for (const file of caseFiles(root)) {
          const expectations = parseDeploymentExpectations(readFileSync(file, 'utf8'));
          for (const [line, codes] of expectations.expected) if (codes.includes(code)) expected.push(`${relative(root, file)}:${line + 1}`);
          for (const line of expectations.negatives) negatives.push(`${relative(root, file)}:${line + 1}`);
        }
        const actual = await reported(root, code);
        assert.deepEqual(actual, expected.sort());
        for (const negative of negatives) assert.ok(!actual.includes(negative), `${negative} is marked OK`);
      });

      it(`offers in ${basename(root)} exactly the fixes in ${basename(root)}${FIX_SNAPSHOT_EXTENSION}`, async () => {
        const outcomes = await checkProjectDirectory(root, { select: [code] });
        const sections = outcomes.flatMap((outcome) => describeFixes(readFileSync(outcome.path, 'utf8'), outcome.hazards, relative(root, outcome.path)));
        const { actual, expected } = fixSnapshot(`${root}${FIX_SNAPSHOT_EXTENSION}`, sections);
        assert.equal(actual, expected ?? '', `the fixes of ${basename(root)} (UPDATE_FIX_SNAPSHOTS=1 rewrites the expected ones)`);
      });

      it(`offers fixes in ${basename(root)} that parse and remove the hazard`, async () => {
        await loadPythonParser();
        const outcomes = await checkProjectDirectory(root, { select: [code] });
        for (const hazard of outcomes.flatMap((outcome) => outcome.hazards).filter((candidate) => candidate.fix)) {
          const copy = mkdtempSync(join(tmpdir(), 'interleave-fix-'));
          copies.push(copy);
          cpSync(root, copy, { recursive: true });
          const path = join(copy, relative(root, hazard.path));
          const fixed = applyTextEdits(readFileSync(path, 'utf8'), hazard.fix!.edits);
          writeFileSync(path, fixed);
          const where = `fix at ${relative(root, hazard.path)}:${hazard.range.start.line + 1}`;
          if (path.endsWith('.py')) assert.deepEqual(analyzePython(fixed, path, 'fixed').facts.syntaxErrors, [], `${where} breaks the syntax:\n${fixed}`);
          const before = outcomes.find((outcome) => outcome.path === hazard.path)!.hazards.length;
          const after = (await checkProjectDirectory(copy, { select: [code] })).find((outcome) => outcome.path === path)?.hazards.length ?? 0;
          assert.ok(after < before, `${where} leaves the hazard:\n${fixed}`);
          // Removing the hazard by breaking the command does not count: the server still starts.
          const commands = (text: string) => parseDeploymentFile(path, basename(path), text)?.facts.commands.length;
          assert.equal(commands(fixed), commands(readFileSync(hazard.path, 'utf8')), `${where} breaks the command:\n${fixed}`);
        }
      });
    }
  });
}

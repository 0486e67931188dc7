import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../test/support/analyze';
import { analyzeDeploymentText, servedWith } from '../../test/support/analyze-deployment';
import { RULES } from '.';

/**
 * The examples of preview rules, and of IL301's preview part (a client opened when a module
 * loads, the only shape TypeScript has), show what the rule reports with `preview = true`.
 */
const previewed = new Set([...RULES.filter((rule) => rule.meta.preview).map((rule) => rule.meta.code), 'IL301']);

/** Where an example is analysed, by its language: the file's extension picks the frontend. */
const EXAMPLE_PATHS = { python: '/project/app/main.py', typescript: '/project/src/main.ts' } as const;

// Examples assume one worker unless they are about workers, so that per-process state (IL103)
// does not fire on every other rule's handler example; IL103's assume four unless served by a file.
describe('documentation examples', () => {
  for (const { meta } of RULES) {
    const assumed = { workers: { count: meta.code === 'IL103' ? 4 : 1 } };
    meta.docs.examples.forEach((example, index) => {
      // An example served by a deployment file runs under what that file says (its workers, its preload).
      const project = example.servedWith ? servedWith(example.servedWith.file, example.servedWith.text) : assumed;
      const label = `${meta.code} example ${index + 1}${example.framework ? ` (${example.framework})` : ''}`;
      // A deployment file example is checked as that file of a project with a FastAPI app.
      const analyze = (text: string) =>
        example.deploymentFile
          ? analyzeDeploymentText(example.deploymentFile, text)
          : analyzeText(text, { project, path: EXAMPLE_PATHS[example.language], ...(previewed.has(meta.code) && { settings: { preview: true } }) });
      it(`${label}: the bad code raises exactly ${meta.code}, once`, async () => {
        const report = await analyze(example.bad);
        assert.deepEqual(report.hazards.map((h) => h.code), [meta.code], report.hazards.map((h) => h.message).join('\n'));
      });
      it(`${label}: the good code raises nothing`, async () => {
        const report = await analyze(example.good);
        assert.deepEqual(report.hazards.map((h) => `${h.code} ${h.message}`), []);
      });
    });
  }
});

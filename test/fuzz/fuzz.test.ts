// The fuzz targets, briefly: a few hundred seeded inputs each, in seconds, on every `npm test`.
// `npm run fuzz` runs them at length (scripts/fuzz.ts).
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadPythonParser } from '../../src/python/parser';
import { TARGETS, type TargetName } from './targets';

const RUNS: Record<TargetName, number> = { python: 300, typescript: 200, config: 500, 'lsp-framing': 500 };

describe('fuzzing, briefly', () => {
  for (const [name, runs] of Object.entries(RUNS) as [TargetName, number][]) {
    test(`${name}: ${runs} seeded inputs, no crash, hang or silent pass`, { timeout: 300_000 }, async () => {
      await loadPythonParser();
      const { inputs, run } = TARGETS[name] as { inputs(): fc.Arbitrary<unknown>; run(input: unknown): unknown };
      fc.assert(fc.property(inputs(), (input) => void run(input)), { seed: 20_240_615, numRuns: runs });
    });
  }
});

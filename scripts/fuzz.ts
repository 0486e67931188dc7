/**
 * The long fuzz run (`npm run fuzz`): the targets of test/fuzz/targets.ts for as many inputs as
 * asked, in seeded rounds so a run is repeatable and reports as it goes. A failing input is
 * shrunk by fast-check and saved under test-results/fuzz/, with the seed and path that reproduce it.
 *
 *   npm run fuzz                                  1,000,000 inputs across the frontends
 *   npm run fuzz -- --runs 20000 --targets config,lsp-framing --seed 7
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { loadPythonParser } from '../src/python/parser';
import { FRONTEND_TARGETS, TARGETS, type TargetName, type Verdict } from '../test/fuzz/targets';

const ROUND = 10_000;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    targets: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const total = Number(values.runs);
const names = (values.targets?.split(',') ?? FRONTEND_TARGETS) as TargetName[];
for (const name of names) if (!(name in TARGETS)) throw new Error(`unknown target ${name} (known: ${Object.keys(TARGETS).join(', ')})`);
const baseSeed = Number(values.seed);
const outputDirectory = join(__dirname, '..', 'test-results', 'fuzz');

interface Tally {
  inputs: number;
  analysed: number;
  notAnalysed: number;
  failures: number;
  seconds: number;
}

function fuzzTarget(name: TargetName, runs: number): Tally {
  const { inputs, run } = TARGETS[name] as { inputs(): fc.Arbitrary<unknown>; run(input: unknown): Verdict };
  const tally: Tally = { inputs: 0, analysed: 0, notAnalysed: 0, failures: 0, seconds: 0 };
  const started = performance.now();
  const arbitrary = inputs();
  for (let round = 0; tally.inputs < runs; round++) {
    const seed = baseSeed * 1_000_003 + round;
    const numRuns = Math.min(ROUND, runs - tally.inputs);
    // Calls past the first failure are fast-check shrinking it: they are not counted as inputs.
    const verdicts: Verdict[] = [];
    const result = fc.check(
      fc.property(arbitrary, (input) => {
        const verdict = run(input);
        verdicts.push(verdict);
      }),
      { seed, numRuns },
    );
    const counted = verdicts.slice(0, result.numRuns);
    tally.inputs += result.numRuns + (result.failed ? 1 : 0);
    tally.analysed += counted.filter((verdict) => verdict === 'analysed').length;
    tally.notAnalysed += counted.filter((verdict) => verdict === 'not-analysed').length;
    if (result.failed) {
      tally.failures++;
      mkdirSync(outputDirectory, { recursive: true });
      const file = join(outputDirectory, `${name}-seed${seed}.json`);
      writeFileSync(file, `${JSON.stringify({ target: name, seed, path: result.counterexamplePath, input: result.counterexample?.[0], error: String(result.errorInstance) }, null, 2)}\n`);
      process.stdout.write(`${name}: FAILED at seed ${seed}: ${String(result.errorInstance).split('\n')[0]}; input saved to ${file}\n`);
    }
    process.stdout.write(`${name}: ${tally.inputs}/${runs} inputs, ${tally.notAnalysed} reported as not analysable, ${tally.failures} failures\n`);
  }
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
}

async function main(): Promise<void> {
  await loadPythonParser();
  const share = Math.ceil(total / names.length);
  const tallies = names.map((name) => [name, fuzzTarget(name, share)] as const);
  process.stdout.write('\ntarget        inputs   analysed  not analysable  failures  seconds  inputs/s\n');
  for (const [name, tally] of tallies) {
    process.stdout.write(
      `${name.padEnd(12)} ${String(tally.inputs).padStart(8)} ${String(tally.analysed).padStart(10)} ${String(tally.notAnalysed).padStart(15)} ${String(tally.failures).padStart(9)} ${tally.seconds.toFixed(0).padStart(8)} ${(tally.inputs / tally.seconds).toFixed(0).padStart(9)}\n`,
    );
  }
  if (tallies.some(([, tally]) => tally.failures > 0)) process.exitCode = 1;
}

void main();

/**
 * action.yml's steps, run as the Actions runner runs a composite action: each `run` step in bash
 * with its `env` (the few expressions the action uses evaluated here, anything else fails the
 * test), `GITHUB_OUTPUT` read back between steps, and each `if` decided from those outputs. The
 * `uses` step (GitHub's SARIF upload) cannot run here: the test checks what it would be given.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Log } from 'sarif';
import { parse } from 'yaml';
import { BLOCKING_MODULE as BLOCKING, CLEAN_MODULE } from './support/cli';
import { scratchDirectory } from './support/packed-package';

const repository = join(__dirname, '..');

interface Step {
  name: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(repository, 'action.yml'), 'utf8')) as Action;

interface ActionRun {
  /** Each step's name, and what happened to it. */
  steps: { name: string; outcome: 'success' | 'failure' | 'skipped'; stdout: string; with?: Record<string, string> }[];
  outputs: Record<string, Record<string, string>>;
}

/** Runs the composite action's steps in `workspace` with the given inputs, as far as they go. */
function runAction(workspace: string, inputs: Record<string, string>): ActionRun {
  const values = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, inputs[name] ?? input.default]));
  const outputs: Record<string, Record<string, string>> = {};
  const expression = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_match, reference: string) => {
      if (reference === 'github.action_path') return repository;
      const input = /^inputs\.([\w-]+)$/.exec(reference);
      if (input && input[1]! in values) return values[input[1]!]!;
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(reference);
      if (output) return outputs[output[1]!]?.[output[2]!] ?? '';
      throw new Error(`the test does not know the expression \`${reference}\``);
    });
  const condition = (text: string): boolean => {
    const comparison = /^steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'$/.exec(text.trim());
    if (!comparison) throw new Error(`the test does not know the condition \`${text}\``);
    return (outputs[comparison[1]!]?.[comparison[2]!] ?? '') === comparison[3];
  };
  const result: ActionRun = { steps: [], outputs };
  for (const step of action.runs.steps) {
    if (step.if !== undefined && !condition(step.if)) {
      result.steps.push({ name: step.name, outcome: 'skipped', stdout: '' });
      continue;
    }
    if (step.uses !== undefined) {
      const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, expression(value)]));
      result.steps.push({ name: step.name, outcome: 'success', stdout: '', with: withValues });
      continue;
    }
    assert.equal(step.shell, 'bash', `${step.name} runs in bash`);
    const githubOutput = join(workspace, `.github-output-${result.steps.length}`);
    writeFileSync(githubOutput, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, expression(value)]));
    // The runner's bash: no profile, errexit and pipefail.
    const ran = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...process.env, ...env, GITHUB_OUTPUT: githubOutput, GITHUB_ACTION_PATH: repository, NO_COLOR: '1' },
    });
    if (step.id !== undefined) {
      outputs[step.id] = Object.fromEntries(
        readFileSync(githubOutput, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
    }
    result.steps.push({ name: step.name, outcome: ran.status === 0 ? 'success' : 'failure', stdout: ran.stdout + ran.stderr });
    if (ran.status !== 0) break;
  }
  return result;
}

describe('the GitHub Action (action.yml)', { timeout: 120_000 }, () => {
  const scratch = scratchDirectory('interleave-action-');

  before(() => {
    execFileSync(process.execPath, [join(repository, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  });

  function workspace(name: string, files: Record<string, string>): string {
    const root = join(scratch, name);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  test('is a composite action whose output is the check step’s exit code', () => {
    assert.equal(action.runs.using, 'composite');
    assert.equal(action.outputs['exit-code']!.value, '${{ steps.check.outputs.exit-code }}');
  });

  test('writes SARIF for code scanning, hands it to the upload step, and fails the job on hazards', () => {
    const root = workspace('sarif', { 'app/main.py': BLOCKING });
    const run = runAction(root, {});
    assert.deepEqual(run.steps.map((step) => [step.name, step.outcome]), [
      ['Install Interleave', 'success'],
      ['Check', 'success'],
      ['Upload to code scanning', 'success'],
      ['Fail on hazards', 'failure'],
    ]);
    assert.equal(run.outputs.check!['exit-code'], '1');
    const upload = run.steps[2]!.with!;
    assert.deepEqual(upload, { sarif_file: 'interleave.sarif', category: 'interleave' });
    const log = JSON.parse(readFileSync(join(root, upload.sarif_file!), 'utf8')) as Log;
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(log.runs[0]!.results!.map((result) => result.ruleId), ['IL201']);
    assert.match(run.steps[3]!.stdout, /^::error title=Interleave::/);
  });

  test('shows annotations instead with sarif: false, passing its args through', () => {
    const root = workspace('annotations', { 'app/main.py': BLOCKING, 'other/main.py': BLOCKING });
    const run = runAction(root, { sarif: 'false', args: 'app --select IL2' });
    assert.equal(run.steps[1]!.outcome, 'success');
    assert.equal(run.steps[2]!.outcome, 'skipped');
    assert.equal(run.steps[3]!.outcome, 'failure');
    const annotations = run.steps[1]!.stdout.split('\n').filter((line) => line.startsWith('::'));
    assert.deepEqual(annotations.map((line) => /file=([^,]+)/.exec(line)![1]), ['app/main.py']);
  });

  test('passes a clean repository, and stops on a usage error without uploading', () => {
    const clean = runAction(workspace('clean', { 'app/main.py': CLEAN_MODULE }), {});
    assert.deepEqual(clean.steps.map((step) => step.outcome), ['success', 'success', 'success', 'skipped']);
    assert.equal(clean.outputs.check!['exit-code'], '0');
    const misused = runAction(workspace('misused', { 'app/main.py': CLEAN_MODULE }), { args: '--select NO-SUCH-RULE' });
    assert.deepEqual(misused.steps.map((step) => step.outcome), ['success', 'failure']);
    assert.equal(misused.outputs.check!['exit-code'], '2');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { version } from '../../package.json';
import { makeProject, runCli } from '../../test/support/cli';
import { RULES } from '../rules';

describe('interleave', () => {
  const cwd = makeProject({});

  test('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      assert.deepEqual(await runCli([flag], { cwd }), { status: 0, stdout: `interleave ${version}\n`, stderr: '' });
    }
  });

  test('--help lists the commands; each command has its own help', async () => {
    const main = await runCli(['--help'], { cwd });
    assert.equal(main.status, 0);
    assert.match(main.stdout, /check \[PATH\]\.\.\..*\n.*contexts \[PATH\].*\n.*explain <RULE>.*\n.*rules/);
    for (const command of ['check', 'contexts', 'explain', 'rules']) {
      const help = await runCli([command, '--help'], { cwd });
      assert.equal(help.status, 0, command);
      assert.match(help.stdout, new RegExp(`^.*\\n\\nUsage: interleave ${command}`, 'm'), command);
      assert.deepEqual(await runCli(['help', command], { cwd }), help);
    }
    assert.match((await runCli(['check', '--help'], { cwd })).stdout, /--format <FORMAT>.*text, concise, json, json-lines, sarif, github, gitlab, junit, rdjson/);
  });

  test('no command prints help on stderr and exits 2', async () => {
    const run = await runCli([], { cwd });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Usage: interleave <COMMAND>/);
  });

  test('an unknown command is a usage error pointing at --help', async () => {
    const run = await runCli(['chekc'], { cwd });
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'error: unknown command `chekc`\n\nFor more information, try `interleave --help`.\n');
  });
});

describe('interleave explain', () => {
  const cwd = makeProject({});

  test('prints a rule’s documentation by code or by name', async () => {
    const [first] = RULES;
    assert.ok(first, 'RULES has at least one rule');
    const byCode = await runCli(['explain', first.meta.code.toLowerCase()], { cwd });
    assert.equal(byCode.status, 0);
    assert.match(byCode.stdout, new RegExp(`^# ${first.meta.name} \\(${first.meta.code}\\)\\n`));
    for (const section of ['## What it does', '## Why is this bad?', '## Example', '## Fix safety', '## When not to use it']) {
      assert.ok(byCode.stdout.includes(section), section);
    }
    assert.deepEqual(await runCli(['explain', first.meta.name], { cwd }), byCode);
  });

  test('an unknown rule or a missing argument exits 2', async () => {
    const unknown = await runCli(['explain', 'IL999'], { cwd });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown rule `IL999`/);
    assert.equal((await runCli(['explain'], { cwd })).status, 2);
  });
});

describe('interleave rules', () => {
  const cwd = makeProject({});

  test('lists every rule as a table', async () => {
    const run = await runCli(['rules'], { cwd });
    assert.equal(run.status, 0);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^code +name +family +severity +fix +summary$/);
    assert.equal(lines.length, RULES.length + 1);
    RULES.forEach((rule, index) => assert.ok(lines[index + 1]!.startsWith(`${rule.meta.code}  ${rule.meta.name}`)));
  });

  test('--format json gives code, name, family, severity, fix, languages, summary and url', async () => {
    const run = await runCli(['rules', '--format', 'json'], { cwd });
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.equal(rows.length, RULES.length);
    assert.deepEqual(Object.keys(rows[0]!), ['code', 'name', 'family', 'default_severity', 'fix', 'languages', 'summary', 'preview', 'url']);
    assert.equal((await runCli(['rules', '--format', 'yaml'], { cwd })).status, 2);
  });
});

/**
 * Where a Python keystroke's analysis goes, step by step, in CPU time: the editor benchmark's
 * keystrokes (`x` typed, then deleted, at the same seeded places) replayed in this process on its
 * 2,013-line file, through the steps the language server's analysis thread takes for each
 * (src/server/document-worker.ts): the incremental parse and facts, the document's summaries and
 * their JSON laid over the workspace's project facts, the execution-context model, the rules, the
 * lens, and the copy of the reply. The workspace's summaries are cloned first, as the server's
 * thread sends them. CPU time (`process.cpuUsage`) moves less than wall time on a shared machine.
 *
 * Usage: node --import tsx scripts/bench/keystroke-steps.ts [--keystrokes 200] [--seed 1]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../../src/core/config';
import { contextModelOf } from '../../src/core/contexts';
import { checkModule, projectFacts, withModuleSummaries, type ModuleSummaries } from '../../src/core/engine';
import { withHeadline } from '../../src/core/headline';
import type { ProjectFacts } from '../../src/core/rule';
import { RULES } from '../../src/rules';
import { lensedCode } from '../../src/server/code-contexts';
import { DocumentParsers, type TreeEdit } from '../../src/server/document-parser';
import { summarize } from '../../src/server/project-context';
import { loadFrontends, moduleNameFor, parseSource } from '../../src/workspace/analyze';
import { keystrokes, summarize as percentiles } from './editor-latency';
import { generateProject, largeRouterPath } from './fastapi-project';

const ROOT = '/bench/editor';

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The edit of one character at a 0-based line and column: `x` typed, or the character there deleted. */
function characterEdit(text: string, line: number, column: number, typed: boolean): { text: string; edit: TreeEdit } {
  const offset = text.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0) + column;
  const at = { row: line, column };
  const after = { row: line, column: column + 1 };
  return typed
    ? { text: `${text.slice(0, offset)}x${text.slice(offset)}`, edit: { startIndex: offset, oldEndIndex: offset, newEndIndex: offset + 1, startPosition: at, oldEndPosition: at, newEndPosition: after } }
    : { text: `${text.slice(0, offset)}${text.slice(offset + 1)}`, edit: { startIndex: offset, oldEndIndex: offset + 1, newEndIndex: offset, startPosition: at, oldEndPosition: after, newEndPosition: at } };
}

async function main(count: number, seed: number): Promise<void> {
  await loadFrontends();
  const project = generateProject({ lines: 10_000, seed, largeRouterLines: 2_000 });
  const summaries: ModuleSummaries[] = [];
  for (const file of project.files) {
    const path = join(ROOT, file.path);
    const parsed = file.path.endsWith('.py') ? parseSource(path, file.text, moduleNameFor(path, ROOT)) : undefined;
    if (parsed) summaries.push(summarize(parsed, ROOT));
  }
  const base = projectFacts(structuredClone(summaries));
  const config = resolveConfig([], RULES.map((rule) => rule.meta));
  const path = join(ROOT, largeRouterPath());
  const moduleName = moduleNameFor(path, ROOT);
  const original = project.files.find((file) => file.path === largeRouterPath())!.text;
  const parsers = new DocumentParsers();
  const steps = new Map<string, number[]>();
  const record = (name: string, spent: number) => {
    const samples = steps.get(name);
    if (samples) samples.push(spent);
    else steps.set(name, [spent]);
  };
  let analysisMs = 0;
  const step = <T>(name: string, run: () => T): T => {
    const started = cpuMs();
    const result = run();
    const spent = cpuMs() - started;
    record(name, spent);
    analysisMs += spent;
    return result;
  };
  let checkedAgainst: { json: string; project: ProjectFacts } | undefined;
  const analyse = (text: string, edits: TreeEdit[] | 'full') => {
    const parsed = step('parse and facts', () => parsers.parse('editor', path, moduleName, text, edits));
    const summary = step('summaries', () => summarize(parsed, ROOT));
    const current = step('summaries as JSON, over the project facts', () => {
      const json = JSON.stringify(summary);
      if (checkedAgainst?.json !== json) checkedAgainst = { json, project: withModuleSummaries(base, summary) };
      return checkedAgainst;
    });
    step('execution-context model', () => contextModelOf(current.project, parsed.facts));
    const report = step('rules', () => checkModule(parsed, { rules: RULES, config, project: current.project }));
    const lensed = step('lens', () => lensedCode({ module: parsed.facts, project: current.project, uri: 'editor' }));
    step('reply copied', () => structuredClone({ hazards: report.hazards.map(withHeadline), comments: parsed.facts.comments, summary: current.json, lensed }));
  };
  analyse(original, 'full');
  steps.clear();
  let text = original;
  for (const place of keystrokes(original, count, seed)) {
    for (const typed of [true, false]) {
      const change = characterEdit(text, place.line, place.character, typed);
      text = change.text;
      analysisMs = 0;
      analyse(text, [change.edit]);
      record('the whole analysis', analysisMs);
    }
  }
  for (const [name, samples] of steps) {
    const { p50Ms, p95Ms } = percentiles(samples);
    process.stdout.write(`${name.padEnd(42)} p50 ${p50Ms.toFixed(1).padStart(6)} ms   p95 ${p95Ms.toFixed(1).padStart(6)} ms\n`);
  }
}

const { values } = parseArgs({ options: { keystrokes: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' } } });
void main(Number(values.keystrokes), Number(values.seed));

/**
 * What the execution-context model costs on a tree, measured in this process: each file's facts
 * (parse and extraction, the yardstick), its context summary, then the model built from every
 * summary and asked for every function's contexts, as one `interleave check` run does. It also
 * counts the functions that get each context kind; a function no entry point reaches is `unknown`.
 */
import { readFileSync } from 'node:fs';
import { ContextModel } from '../../src/core/contexts';
import { summarizeContexts, type ContextSummary } from '../../src/core/contexts/summary';
import { loadFrontends, parseSource } from '../../src/workspace/analyze';
import { discoverSourceFiles } from '../../src/workspace/discovery';
import { ModuleNamer } from '../../src/workspace/module-root';

export interface ContextModelCost {
  files: number;
  functions: number;
  /** Parsing and extracting every file's facts: what the model's cost is set against. */
  factsMs: number;
  /** Every module's context summary, from its facts. */
  summariesMs: number;
  /** Building the model from the summaries and asking it for every function's contexts. */
  modelMs: number;
  /** Functions per context kind (a function may run in several); `unknown` when none reaches it. */
  byKind: Record<string, number>;
}

export async function measureContextModel(directory: string): Promise<ContextModelCost> {
  await loadFrontends();
  const files = discoverSourceFiles([directory], { exclude: [], excludeBase: directory }).files;
  const namer = new ModuleNamer();
  const summaries: ContextSummary[] = [];
  let factsMs = 0;
  let summariesMs = 0;
  for (const path of files) {
    const started = performance.now();
    const parsed = parseSource(path, readFileSync(path, 'utf8'), namer.moduleName(path));
    const parsedAt = performance.now();
    factsMs += parsedAt - started;
    if (!parsed) continue;
    summaries.push(summarizeContexts(parsed.facts, directory));
    summariesMs += performance.now() - parsedAt;
  }
  const started = performance.now();
  const model = new ContextModel(summaries);
  const byKind: Record<string, number> = {};
  let functions = 0;
  for (const summary of summaries) {
    for (const fn of summary.functions) {
      functions++;
      const kinds = new Set(model.contextsOf(summary.moduleName, fn.id).witnesses.map((witness) => witness.kind));
      for (const kind of kinds.size > 0 ? kinds : ['unknown']) byKind[kind] = (byKind[kind] ?? 0) + 1;
    }
  }
  return { files: files.length, functions, factsMs, summariesMs, modelMs: performance.now() - started, byKind };
}

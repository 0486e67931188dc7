import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveConfig, type Settings } from '../../src/core/config';
import { checkModule, projectFacts, summarizeModule, type ModuleReport, type ParsedModule } from '../../src/core/engine';
import type { Rule } from '../../src/core/rule';
import { RULES } from '../../src/rules';
import { loadFrontends, moduleNameFor, parseSource } from '../../src/workspace/analyze';
import { parseExpectations } from './fixture-expectations';

/** The Python files under a directory, recursively, sorted. */
export function pythonFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(root, entry.name);
      if (entry.isDirectory()) return pythonFiles(path);
      return entry.name.endsWith('.py') ? [path] : [];
    })
    .sort();
}

/**
 * Analyses a directory of Python modules the way a project run does, for tests: every module is
 * summarised first, then each is checked against the project's summaries.
 */
export async function analyzeProject(
  root: string,
  options: { settings?: Settings; rules?: readonly Rule[] } = {},
): Promise<Map<string, ModuleReport>> {
  await loadFrontends();
  const rules = options.rules ?? RULES;
  const config = resolveConfig(options.settings ? [options.settings] : [], rules.map((rule) => rule.meta));
  const parsed = new Map<string, ParsedModule>();
  for (const path of pythonFiles(root)) {
    const module = parseSource(path, readFileSync(path, 'utf8'), moduleNameFor(path, root));
    if (module) parsed.set(path, module);
  }
  const project = projectFacts([...parsed.values()].map((module) => summarizeModule(module, rules)));
  const reports = new Map<string, ModuleReport>();
  for (const [path, module] of parsed) reports.set(path, checkModule(module, { rules, config, project }));
  return reports;
}

/**
 * Both passes over modules given as text (dotted name → source; Python unless `extension` says
 * TypeScript), with one rule: summaries first
 * (checked to be JSON-serialisable), then each module checked against them. Returns each
 * module's hazards as `line: code`.
 */
export async function checkModulesWith(modules: Record<string, string>, rule: Rule, extension: 'py' | 'ts' = 'py', settings?: Settings): Promise<Map<string, string[]>> {
  await loadFrontends();
  const parsed = Object.entries(modules).flatMap(([name, source]) => parseSource(`/project/${name.replace(/\./g, '/')}.${extension}`, source, name) ?? []);
  const rules = [rule];
  const summaries = parsed.map((module) => summarizeModule(module, rules));
  assert.deepEqual(JSON.parse(JSON.stringify(summaries)), summaries, 'summaries are JSON-serialisable');
  const project = projectFacts(summaries);
  const config = resolveConfig(settings ? [settings] : [], rules.map((candidate) => candidate.meta));
  return new Map(
    parsed.map((module) => [
      module.facts.moduleName,
      checkModule(module, { rules, config, project }).hazards.map((hazard) => `${hazard.range.start.line + 1}: ${hazard.code}`),
    ]),
  );
}

/**
 * Analyses a package of annotated modules (`# IL202`, `# OK`) in two passes and asserts that each
 * module's hazards are exactly its annotated lines, and that the package has at least as many
 * negative cases as positive ones. Returns the number of modules checked.
 */
export async function assertAnnotatedPackage(root: string, rules: readonly Rule[], settings?: Settings): Promise<number> {
  const reports = await analyzeProject(root, { rules, ...(settings && { settings }) });
  let positives = 0;
  let negatives = 0;
  for (const [path, report] of reports) {
    const { expected, negatives: ok } = parseExpectations(readFileSync(path, 'utf8'));
    positives += expected.size;
    negatives += ok.size;
    assert.deepEqual(report.problems, []);
    const actual = report.hazards.map((hazard) => `${hazard.range.start.line + 1}: ${hazard.code}`);
    const wanted = [...expected].flatMap(([line, codes]) => codes.map((code) => `${line + 1}: ${code}`));
    assert.deepEqual(actual.sort(), wanted.sort(), relative(root, path));
  }
  assert.ok(negatives >= positives, `${negatives} negatives < ${positives} positives`);
  return reports.size;
}

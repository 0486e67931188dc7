import { resolveConfig, type Settings } from '../../src/core/config';
import type { ModuleReport } from '../../src/core/engine';
import type { ProjectFacts, Rule } from '../../src/core/rule';
import { RULES } from '../../src/rules';
import { analyzeSource, loadFrontends } from '../../src/workspace/analyze';

export interface AnalyzeOptions {
  path?: string;
  moduleName?: string;
  settings?: Settings;
  project?: ProjectFacts;
  rules?: readonly Rule[];
}

/** Analyses source text the way the CLI does, for tests. */
export async function analyzeText(text: string, options: AnalyzeOptions = {}): Promise<ModuleReport> {
  await loadFrontends();
  const rules = options.rules ?? RULES;
  const config = resolveConfig(options.settings ? [options.settings] : [], rules.map((rule) => rule.meta));
  const report = analyzeSource(
    { path: options.path ?? '/project/app/main.py', text, moduleName: options.moduleName ?? 'app.main' },
    { rules, config, project: options.project ?? {} },
  );
  if (!report) throw new Error(`no frontend for ${options.path}`);
  return report;
}

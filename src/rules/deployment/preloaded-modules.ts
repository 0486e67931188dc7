import type { PreloadSetting } from '../../core/deployment-facts';
import type { ModuleFacts } from '../../core/facts';
import { projectIndex } from '../../core/project-index';
import type { ProjectFacts } from '../../core/rule';
import { sameModule, summarizeApplications } from './applications';

/**
 * Which modules gunicorn imports in its master process when it preloads the app: the module a
 * preloading command serves (`app.main` of `app.main:app`, or the modules that build an
 * application when no command names one) and every module those import at their top level,
 * packages included. Modules the app does not import — scripts, tests, migrations — are not.
 * When the analysed files hold no application at all, each of them counts.
 */

/** What IL603 needs of each module besides its call graph (the engine's): whether it builds an application. */
export interface ImportTimeSummary {
  buildsApplication: boolean;
}

export function summarizeImportTime(module: ModuleFacts): ImportTimeSummary {
  return { buildsApplication: summarizeApplications(module).applications.length > 0 };
}

function isSummary(value: unknown): value is ImportTimeSummary {
  return typeof value === 'object' && value !== null && 'buildsApplication' in value;
}

/** The module of a served target: `app.main` of `app.main:app` or `app.main:create_app()`. */
function moduleOfTarget(target: string): string {
  return target.split(':')[0]!;
}

/** The project's modules a top-level import runs: the imported module and the packages above it. */
function importedModules(target: string, known: ReadonlySet<string>, bySuffix: ReadonlyMap<string, string | null>): string[] {
  const parts = target.split('.');
  const found: string[] = [];
  for (let length = 1; length <= parts.length; length++) {
    const prefix = parts.slice(0, length).join('.');
    const module = known.has(prefix) ? prefix : (bySuffix.get(prefix) ?? undefined);
    if (module) found.push(module);
  }
  return found;
}

/** Each module gunicorn imports before forking, with the preload setting that makes it do so. */
function preloadedModules(project: ProjectFacts, code: string): Map<string, PreloadSetting> {
  const summaries = new Map<string, ImportTimeSummary>();
  for (const [moduleName, summary] of project.summaries?.get(code) ?? []) if (isSummary(summary)) summaries.set(moduleName, summary);
  const known = new Set(summaries.keys());
  // `app.db` also names `src.app.db` when the tree is analysed from above `src`: unique suffixes only.
  const bySuffix = new Map<string, string | null>();
  for (const moduleName of known) {
    const parts = moduleName.split('.');
    for (let start = 1; start < parts.length; start++) {
      const suffix = parts.slice(start).join('.');
      bySuffix.set(suffix, bySuffix.has(suffix) ? null : moduleName);
    }
  }
  const reached = new Map<string, PreloadSetting>();
  for (const setting of project.preload ?? []) {
    const named = [...known].filter((moduleName) => setting.applications.some((target) => sameModule(moduleName, moduleOfTarget(target))));
    const builders = named.length > 0 ? named : [...known].filter((moduleName) => summaries.get(moduleName)!.buildsApplication);
    // With no application in sight (one file checked on its own), every module checked may be one the app imports.
    const roots = builders.length > 0 ? builders : [...known];
    const queue = roots.flatMap((root) => importedModules(root, known, bySuffix));
    while (queue.length > 0) {
      const moduleName = queue.pop()!;
      if (reached.has(moduleName)) continue;
      reached.set(moduleName, setting);
      for (const target of Object.values(project.callGraphs?.get(moduleName)?.imports ?? {})) {
        for (const imported of importedModules(target, known, bySuffix)) if (!reached.has(imported)) queue.push(imported);
      }
    }
  }
  return reached;
}

/**
 * The preload setting under which gunicorn imports `module` before forking its workers, or
 * undefined when no deployment preloads an app that imports it. Without the project's summaries
 * (one file analysed alone) the module counts when it is the one a preloading command serves, or
 * builds an application when none is named.
 */
export function preloadImporting(project: ProjectFacts, code: string, module: ModuleFacts): PreloadSetting | undefined {
  if (!project.preload?.length) return undefined;
  if (project.summaries?.get(code)?.size) return projectIndex(project, `${code} preloaded modules`, (facts) => preloadedModules(facts, code)).get(module.moduleName);
  return project.preload.find((setting) =>
    setting.applications.length > 0
      ? setting.applications.some((target) => sameModule(module.moduleName, moduleOfTarget(target)))
      : summarizeApplications(module).applications.length > 0,
  );
}

/**
 * The application factories a preloading gunicorn calls in `module` before forking
 * (`app.main:create_app()`): top-level functions of the module, by name.
 */
export function preloadedFactories(preload: PreloadSetting, module: ModuleFacts): string[] {
  return preload.applications.flatMap((target) => {
    const factory = /^[^:]+:([A-Za-z_]\w*)\(.*\)$/.exec(target)?.[1];
    return factory && sameModule(module.moduleName, moduleOfTarget(target)) ? [factory] : [];
  });
}

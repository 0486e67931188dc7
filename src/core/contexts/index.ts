import type { ModuleFacts } from '../facts';
import { projectIndex } from '../project-index';
import type { ProjectFacts } from '../rule';
import { ContextModel } from './model';
import type { Resolutions } from './resolutions';
import { summarizeContexts } from './summary';

export { ContextModel, type LoopVerdict } from './model';
export * from './kinds';

const singleModule = new WeakMap<ModuleFacts, ContextModel>();
/** The last project model's resolutions: the next project is most often the same with one module's calls changed (a keystroke). */
let lastResolutions: Resolutions | undefined;

/**
 * The execution-context model a module is checked against: the project's, built once from every
 * module's summary, when the project has summarised this module; else one of this module alone
 * (a file checked on its own, a document not saved yet), where what other modules do is unknown.
 */
export function contextModelOf(project: ProjectFacts, module: ModuleFacts): ContextModel {
  const projectModel = projectContextModel(project, module.moduleName);
  if (projectModel) return projectModel;
  let model = singleModule.get(module);
  if (!model) singleModule.set(module, (model = new ContextModel([summarizeContexts(module)])));
  return model;
}

/** The project's execution-context model, built once from every module's summary, when the project has summarised the module. */
export function projectContextModel(project: ProjectFacts, moduleName: string): ContextModel | undefined {
  const summaries = project.contextSummaries;
  if (!summaries?.has(moduleName)) return undefined;
  return projectIndex(project, 'contexts', () => {
    const model = new ContextModel(summaries.values(), lastResolutions);
    lastResolutions = model.resolutions;
    return model;
  });
}

import { projectContextModel, type ContextModel } from './contexts';
import type { FunctionFacts, ModuleFacts, Range } from './facts';
import { positionWithin } from './positions';
import type { ProjectFacts } from './rule';

/**
 * Whether code at a place may run in the server: false inside a function every known way into
 * which is a CLI command, a test, a migration, a seed or browser code, in code of such a file that
 * no entry point reaches, and in the top-level code of a module that is one of those. The serving
 * rules' findings there are dropped.
 */
export function servedCode(module: ModuleFacts, model: ContextModel): (range: Range) => boolean {
  const topLevel = moduleServed(model, module.moduleName);
  const roleNotServed = placedOutsideServer(model, module.moduleName);
  return (range) => {
    let innermost: FunctionFacts | undefined;
    for (const fn of module.functions) {
      if (positionWithin(range.start, fn.range) && (!innermost || positionWithin(fn.range.start, innermost.range))) innermost = fn;
    }
    if (!innermost) return topLevel;
    return functionServed(model, module.moduleName, innermost.id, roleNotServed);
  };
}

/**
 * Whether nothing of a module may run in the server, by the project's model: neither its top-level
 * code nor any of its functions (`functionIds`, the frontend's ids of every function of the
 * module). Then `servedCode` drops every finding in it, and its rules need not run. False for a
 * module the project has not summarised, which is checked against a model of its own.
 */
export function servesNothing(project: ProjectFacts, moduleName: string, functionIds: Iterable<string>): boolean {
  const model = projectContextModel(project, moduleName);
  if (!model || moduleServed(model, moduleName)) return false;
  const roleNotServed = placedOutsideServer(model, moduleName);
  for (const id of functionIds) if (functionServed(model, moduleName, id, roleNotServed)) return false;
  return true;
}

function moduleServed(model: ContextModel, moduleName: string): boolean {
  return !model.moduleContextsOf(moduleName).every((witness) => witness.kind === 'not-served');
}

/** A file whose place says it is not served (browser code, tests). */
function placedOutsideServer(model: ContextModel, moduleName: string): boolean {
  return model.summaryOf(moduleName)?.role?.kind === 'not-served';
}

/** In a file placed outside the server, code no entry point reaches is not served either. */
function functionServed(model: ContextModel, moduleName: string, functionId: string, roleNotServed: boolean): boolean {
  if (roleNotServed && model.contextsOf(moduleName, functionId).witnesses.length === 0) return false;
  return !model.notServed(moduleName, functionId);
}

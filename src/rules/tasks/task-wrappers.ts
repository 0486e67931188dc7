import type { CallEvent, ModuleFacts } from '../../core/facts';
import { projectIndex } from '../../core/project-index';
import { calleeNamesOf, callsOf } from '../../core/request-reach';
import type { ProjectFacts } from '../../core/rule';
import { spawnsTask, startsTask } from '../catalog/tasks';

/**
 * A Python function as a task wrapper sees it: `def create_task(self, coro): return
 * self.loop.create_task(coro)` hands its caller a task it keeps no reference to, so a caller that
 * drops the result drops the task.
 */
export interface WrapperCandidate {
  /** The names calls reach it by: qualified, and the bare function or method name. */
  names: string[];
  simple: string;
  /** It returns what a task spawn returns. */
  returnsSpawn: boolean;
  /** The simple names of the other calls whose result it returns. */
  returnsCalls: string[];
}

/** Library methods that spawn a task kept elsewhere (`tg.create_task`) or are handled by their qualified name. */
const LIBRARY_NAMES = new Set(['create_task', 'ensure_future', 'start_soon', 'start']);

function simpleName(text: string): string {
  return text.slice(text.lastIndexOf('.') + 1);
}

/** What IL401 keeps of a Python module: its wrapper candidates, and the names of its other functions. */
export interface WrapperSummary {
  wrappers: WrapperCandidate[];
  /** Functions that return no call: a wrapper's name they share says nothing on its own. */
  plain: string[];
}

export function summarizeWrappers(module: ModuleFacts): WrapperSummary {
  const wrappers: WrapperCandidate[] = [];
  const plain: string[] = [];
  for (const fn of module.functions) {
    if (fn.isLambda || fn.parent) continue;
    const returned = callsOf(fn).filter((call) => call.usage === 'returned');
    if (returned.length === 0) {
      plain.push(fn.name);
      continue;
    }
    wrappers.push({
      names: calleeNamesOf(module, fn),
      simple: fn.name,
      returnsSpawn: returned.some((call) => spawnsTask(call.callee, call.text)),
      returnsCalls: returned.filter((call) => !startsTask(call.callee, call.text)).map((call) => simpleName(call.text)),
    });
  }
  return { wrappers, plain };
}

/** The project's task wrappers, by qualified name and by a simple name that only wrappers have. */
export interface TaskWrappers {
  qualified: ReadonlySet<string>;
  simple: ReadonlySet<string>;
}

function isSummary(value: unknown): value is WrapperSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as WrapperSummary).wrappers) && Array.isArray((value as WrapperSummary).plain);
}

/** Grows the wrappers found among `candidates` to a fixed point: a function returning a wrapper's task is one too. */
function findWrappers(candidates: readonly WrapperCandidate[], plain: Iterable<string>, known?: TaskWrappers): TaskWrappers {
  const qualified = new Set(known?.qualified);
  const simple = new Set(known?.simple);
  const found = new Set<WrapperCandidate>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const candidate of candidates) {
      if (found.has(candidate) || !(candidate.returnsSpawn || candidate.returnsCalls.some((name) => simple.has(name)))) continue;
      found.add(candidate);
      simple.add(candidate.simple);
      for (const name of candidate.names) qualified.add(name);
      grew = true;
    }
  }
  // A name also borne by a function that is no wrapper says nothing on its own.
  for (const candidate of candidates) if (!found.has(candidate)) simple.delete(candidate.simple);
  for (const name of [...plain, ...LIBRARY_NAMES]) simple.delete(name);
  return { qualified, simple };
}

/**
 * Functions that return a task they do not keep, to a fixed point (a wrapper of a wrapper is one):
 * built once from the summaries IL401 keeps under `wrappers`, then this module's own, fresh.
 */
export function taskWrappers(project: ProjectFacts, module: ModuleFacts): TaskWrappers {
  const fromProject = projectIndex(project, 'IL401:wrappers', () => {
    const summaries = [...(project.summaries?.get('IL401')?.values() ?? [])].map((summary) => (summary as { wrappers?: unknown } | undefined)?.wrappers).filter(isSummary);
    return findWrappers(
      summaries.flatMap((summary) => summary.wrappers),
      summaries.flatMap((summary) => summary.plain),
    );
  });
  const own = summarizeWrappers(module);
  return findWrappers(own.wrappers, own.plain, fromProject);
}

/** The wrapper a call goes through, when it returns a task nobody else keeps. */
export function wrapperCalled(call: CallEvent, wrappers: TaskWrappers): string | undefined {
  if (call.callee !== undefined && wrappers.qualified.has(call.callee)) return simpleName(call.callee);
  const simple = simpleName(call.text);
  return wrappers.simple.has(simple) && !startsTask(call.callee, call.text) ? simple : undefined;
}

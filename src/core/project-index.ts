import type { ProjectFacts } from './rule';

const indexes = new WeakMap<ProjectFacts, Map<string, unknown>>();

/**
 * A structure a rule derives from every module's summaries (all the project's coroutine names,
 * say), built once per ProjectFacts instead of once per module checked: rebuilding it for each
 * module makes checking a project quadratic in its number of modules. ProjectFacts are never
 * changed once made (a changed project is a new object), so what is built stays valid.
 */
export function projectIndex<T>(project: ProjectFacts, key: string, build: (project: ProjectFacts) => T): T {
  let built = indexes.get(project);
  if (!built) indexes.set(project, (built = new Map()));
  if (!built.has(key)) built.set(key, build(project));
  return built.get(key) as T;
}

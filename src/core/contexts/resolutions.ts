import type { ContextSummary } from './summary';

/** A project function or class, by its module and its qualified name there. */
export interface Found {
  moduleName: string;
  name: string;
}

/** Everything of a module the resolver reads when it follows a name through it, as one string. */
const digests = new WeakMap<ContextSummary, string>();

function resolutionDigest(summary: ContextSummary): string {
  let digest = digests.get(summary);
  if (digest === undefined) {
    digest = JSON.stringify([
      summary.imports,
      summary.starImports ?? [],
      summary.instances,
      summary.classes,
      summary.functions.map((fn) => [fn.name, fn.returns ?? null, fn.property === true]),
    ]);
    digests.set(summary, digest);
  }
  return digest;
}

/**
 * What the context model's name resolution found: the project function each callee names and the
 * project class each validated type names. Resolution reads only modules' names, imports,
 * instances, classes and functions' return types and properties, so models of projects whose
 * modules say the same of these share one set: a keystroke that changes what a function calls,
 * but no name, resolves nothing again.
 */
export class Resolutions {
  readonly callees = new Map<string, Found | undefined>();
  readonly classes = new Map<string, Found | undefined>();

  private constructor(private readonly modules: ReadonlyMap<string, ContextSummary>) {}

  /** The resolutions `previous` holds when `modules` resolve names as its modules did; else new ones. */
  static for(modules: ReadonlyMap<string, ContextSummary>, previous: Resolutions | undefined): Resolutions {
    return previous && resolveAlike(previous.modules, modules) ? previous : new Resolutions(modules);
  }
}

function resolveAlike(before: ReadonlyMap<string, ContextSummary>, after: ReadonlyMap<string, ContextSummary>): boolean {
  if (before.size !== after.size) return false;
  for (const [moduleName, summary] of after) {
    const earlier = before.get(moduleName);
    if (earlier !== summary && (!earlier || resolutionDigest(earlier) !== resolutionDigest(summary))) return false;
  }
  return true;
}

/**
 * Where code runs, as data: the lensed code of a module, or the code at a position, with the
 * contexts it runs in and the chain from each entry point. Read from the execution-context model
 * the rules already consulted for the same analysis, so it builds no model of its own; worked out
 * where the facts are (the language server's analysis thread, the tsserver plugin) and handed to
 * the surfaces (src/server/context-lens.ts) as plain data.
 */
import { contextModelOf } from '../core/contexts';
import { contextAnnotationAt, contextAnnotations, moduleNotes, workersFor, type ContextAnnotation } from '../core/contexts/annotations';
import { chainLinks, contextLine, contextLines } from '../core/contexts/describe';
import type { ModuleFacts, Position } from '../core/facts';
import type { ProjectFacts } from '../core/rule';
import { shownContexts, type LensedCode } from './context-lens';
import { pathToUri } from './document-uri';
import type { CodeContexts, ContextLensSetting } from './protocol';

/** A module as last analysed, with the project facts it was checked against (whose model the rules built). */
export interface AnalysedModule {
  module: ModuleFacts;
  project: ProjectFacts;
  /** The document's URI, which the module's own path (made up for an unsaved document) stands for. */
  uri: string;
}

/** The lensed code of one analysis: hovers and lens requests between two analyses reuse it. */
const lensCache = new WeakMap<ModuleFacts, { project: ProjectFacts; lensed: LensedCode[] }>();

/**
 * Where each piece of code any `contextLens` setting covers runs, in source order, each marked
 * with the narrowest setting that covers it: a change of setting picks from it, with no new analysis.
 */
export function lensedCode(analysed: AnalysedModule): LensedCode[] {
  const cached = lensCache.get(analysed.module);
  if (cached?.project === analysed.project) return cached.lensed;
  const model = contextModelOf(analysed.project, analysed.module);
  const lensed = contextAnnotations(analysed.module, model, 'all').map((annotation) => ({ code: codeContextsOf(annotation, analysed), scope: annotation.scope }));
  lensCache.set(analysed.module, { project: analysed.project, lensed });
  return lensed;
}

/** Where each piece of code the setting covers runs, in source order; nothing when the lens is off. */
export function lensContexts(analysed: AnalysedModule, setting: ContextLensSetting): CodeContexts[] {
  return setting === 'off' ? [] : shownContexts(lensedCode(analysed), setting);
}

/** Where the code at a position runs, whatever the setting: what the command shows. */
export function contextsAt(analysed: AnalysedModule, position: Position): CodeContexts {
  return codeContextsOf(contextAnnotationAt(analysed.module, contextModelOf(analysed.project, analysed.module), position), analysed);
}

function codeContextsOf(annotation: ContextAnnotation, { module, project, uri }: AnalysedModule): CodeContexts {
  const uriOf = (path: string) => (path === module.path ? uri : pathToUri(path));
  const workers = workersFor(project, module.language);
  const options = { workers, memo: annotation.memo };
  return {
    kind: annotation.kind,
    subject: annotation.subject,
    uri,
    anchor: annotation.anchor,
    range: annotation.range,
    lines: [...contextLines(annotation.witnesses, options), ...moduleNotes(module, project, annotation)],
    contexts: annotation.witnesses.map((witness) => ({
      kind: witness.kind,
      line: contextLine(witness, options),
      chain: chainLinks(witness).map(({ path, ...link }) => ({ ...link, uri: uriOf(path) })),
    })),
    ...(workers && {
      workers: {
        count: workers.count,
        ...(workers.description && { description: workers.description }),
        ...(workers.source && { source: { uri: uriOf(workers.source.path), range: workers.source.range } }),
      },
    }),
  };
}

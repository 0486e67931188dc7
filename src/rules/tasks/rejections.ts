import type { CallEvent, FunctionFacts, ModuleFacts, Range } from '../../core/facts';
import { projectIndex } from '../../core/project-index';
import { calleeNamesOf, callsOf } from '../../core/request-reach';
import type { ProjectFacts } from '../../core/rule';
import { rangeWithin } from '../../core/positions';

/**
 * What a JavaScript module tells about promise rejections, for IL401 and IL403 across files: where
 * it installs a process-wide `unhandledRejection` handler, and how each of its async functions can
 * reject.
 */
export interface RejectionSummary {
  handlers: ProcessHandler[];
  functions: { names: string[]; rejection: FunctionRejection }[];
}

/** `process.on('unhandledRejection', …)`: the process logs a rejection nobody handled and goes on. */
export interface ProcessHandler {
  path: string;
  range: Range;
  /** Installed by a module's top-level code, for the life of the process (not added and removed around one task). */
  topLevel: boolean;
}

/**
 * How an async function can reject: through an `await` no `try` of its own catches whose cause
 * the analysis cannot follow (`own`), or only through the calls it awaits that way, by callee.
 */
export interface FunctionRejection {
  own: boolean;
  through: string[];
}

const PROCESS_LISTENERS = /^process\.(on|once|addListener|prependListener)$/;
/** `f().then` / `f().finally`: a method chained on the promise `f()` made. */
const CHAINED = /^(.*)\(\)\.(then|finally)$/;

/** A call that installs a process-wide handler of unhandled rejections that does not end the process itself. */
function installsHandler(module: ModuleFacts, call: CallEvent): boolean {
  if (!PROCESS_LISTENERS.test(call.callee ?? call.text)) return false;
  if (call.positional?.[0]?.replace(/^['"`]|['"`]$/g, '') !== 'unhandledRejection') return false;
  const listener = module.functions.find((fn) => fn.passedTo && sameStart(fn.passedTo.range, call.range));
  return !listener || !callsOf(listener).some((inner) => (inner.callee ?? inner.text) === 'process.exit');
}

function sameStart(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

/** The calls of a chain that handle a rejection, starting where `call` starts: `f().catch(h)` of `f().catch(h).finally(g)`. */
export function rejectionHandledInChain(fn: FunctionFacts, call: CallEvent): boolean {
  return call.handlesRejection === true || callsOf(fn).some((other) => other.handlesRejection === true && sameStart(other.range, call.range) && rangeWithin(other.range, call.range));
}

/** The project function a call names, stripped of `.then`/`.finally` chained on it. */
export function chainedCallee(callee: string): string {
  let base = callee;
  for (let chained = CHAINED.exec(base); chained; chained = CHAINED.exec(base)) base = chained[1]!;
  return base;
}

/** How a function can reject, from its own awaits. */
export function rejectionOf(fn: FunctionFacts): FunctionRejection {
  const calls = callsOf(fn).filter((call) => call.usage === 'awaited');
  const through = new Set<string>();
  let own = false;
  for (const block of fn.flow.blocks) {
    for (const event of block.events) {
      if (event.kind !== 'await' || event.caught) continue;
      if (event.form !== 'await') {
        own = true;
        continue;
      }
      const inside = calls.filter((call) => rangeWithin(call.range, event.range));
      const awaited = inside.find((call) => !inside.some((other) => other !== call && rangeWithin(call.range, other.range)));
      if (!awaited) own = true;
      else if (rejectionHandledInChain(fn, awaited)) continue;
      else if (awaited.callee) through.add(chainedCallee(awaited.callee));
      else own = true;
    }
  }
  return { own, through: [...through] };
}

export function summarizeRejections(module: ModuleFacts): RejectionSummary {
  const handlers: ProcessHandler[] = [];
  for (const scope of [module.moduleFlow, ...module.functions.map((fn) => fn.flow)]) {
    for (const call of callsOf({ flow: scope })) if (installsHandler(module, call)) handlers.push({ path: module.path, range: call.range, topLevel: scope === module.moduleFlow });
  }
  const functions = module.functions.flatMap((fn) => {
    const names = fn.isAsync ? calleeNamesOf(module, fn) : [];
    return names.length > 0 ? [{ names, rejection: rejectionOf(fn) }] : [];
  });
  return { handlers, functions };
}

function isSummary(value: unknown): value is RejectionSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as RejectionSummary).handlers) && Array.isArray((value as RejectionSummary).functions);
}

/** The rejection facts of a whole project, from the summaries IL401 and IL403 keep under `rejections`. */
export interface ProjectRejections {
  /** The first process-wide handler found, if any. */
  handler?: ProcessHandler;
  /** Names of async functions that cannot reject: every way out of them is caught or handled. */
  neverReject: ReadonlySet<string>;
}

/** Grows `neverReject`: a function never rejects when all it awaits uncaught never rejects, to a fixed point. */
function addNeverRejecting(functions: readonly RejectionSummary['functions'][number][], neverReject: Set<string>): void {
  for (let grew = true; grew; ) {
    grew = false;
    for (const { names, rejection } of functions) {
      if (rejection.own || names.every((name) => neverReject.has(name))) continue;
      if (rejection.through.every((callee) => neverReject.has(callee))) {
        for (const name of names) neverReject.add(name);
        grew = true;
      }
    }
  }
}

/** The handler a message points to: one installed at the top level of a module if there is one. */
function firstHandler(handlers: readonly ProcessHandler[]): ProcessHandler | undefined {
  return handlers.find((handler) => handler.topLevel) ?? handlers[0];
}

/**
 * Whether an async function can reject, given what cannot: through an `await` of its own, or of
 * a call to a function that can.
 */
export function canReject(fn: FunctionFacts, neverReject: ReadonlySet<string>): boolean {
  const rejection = rejectionOf(fn);
  return rejection.own || rejection.through.some((callee) => !neverReject.has(callee));
}

/**
 * What the project tells about rejections: built once from every module's summary (the summaries
 * IL401 and IL403 keep under `rejections`, by `code`), then this module's own summary, fresh —
 * the project's copy may predate an edit.
 */
export function projectRejections(project: ProjectFacts, module: ModuleFacts, code: string): ProjectRejections {
  const fromProject = projectIndex(project, `${code}:rejections`, () => {
    const summaries = [...(project.summaries?.get(code)?.values() ?? [])].map((summary) => (summary as { rejections?: unknown } | undefined)?.rejections).filter(isSummary);
    const neverReject = new Set<string>();
    addNeverRejecting(summaries.flatMap((summary) => summary.functions), neverReject);
    return { handler: firstHandler(summaries.flatMap((summary) => summary.handlers)), neverReject };
  });
  const own = summarizeRejections(module);
  const neverReject = new Set(fromProject.neverReject);
  addNeverRejecting(own.functions, neverReject);
  const handler = firstHandler([...own.handlers, ...(fromProject.handler ? [fromProject.handler] : [])]);
  return { ...(handler && { handler }), neverReject };
}

/** What becomes of a rejection nobody handles, said of "the rejection": logged by the project's handler, or the end of the process. */
export function rejectionFate(rejections: ProjectRejections): string {
  const { handler } = rejections;
  if (!handler) return 'is unhandled, which since Node 15 ends the process (this project installs no `unhandledRejection` handler)';
  return `goes only to the process-wide \`unhandledRejection\` handler (${handler.path.replace(/^.*[\\/]/, '')}:${handler.range.start.line + 1})`;
}

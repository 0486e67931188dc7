import type { CallMatcher, CatalogEntry } from '../../core/call-pattern';
import type { CallEvent, Framework, FunctionFacts, Language, Range } from '../../core/facts';
import type { RelatedLocation, Severity } from '../../core/hazard';
import { contextModelOf, type Witness } from '../../core/contexts';
import { MODEL_VALIDATORS } from '../../core/contexts/catalog';
import { yieldPosition } from '../../core/contexts/summary';
import { ownCalls } from '../../core/call-summary';
import { overInMemoryFile } from '../../core/in-memory-files';
import { comparePositions, rangeWithin } from '../../core/positions';
import { lineOf, type RuleContext } from '../../core/rule';

/**
 * Where a function's blocking calls stall the serving loop: the entry point and calls that bring
 * it there (when the model knows one), and whether that is only before serving starts or after it
 * ends.
 */
export interface LoopPlacement {
  witness?: Witness;
  phase?: 'startup' | 'shutdown';
}

/**
 * Whether a function's body runs on the event loop that serves requests, and how it gets there.
 * Only coroutines — and the sync handlers aiohttp and Node run on the loop — qualify: a sync helper
 * is followed from its async caller (IL202). Of those, code the execution-context model places
 * only elsewhere is left out: a coroutine run by a CLI command's `asyncio.run`, a thread's own
 * loop, a memoised initialiser that runs once, a test. Nested `def`s and lambdas are functions of
 * their own, placed by where they are handed.
 */
export function loopPlacement(context: RuleContext, fn: FunctionFacts): LoopPlacement | undefined {
  const { module, project, config } = context;
  if (fn.execution !== 'event-loop') return validatorPlacement(context, fn);
  const verdict = contextModelOf(project, module).loopVerdict(module.moduleName, fn.id);
  if (verdict.on === 'elsewhere') {
    return config.checkNotServed && verdict.witnesses.every((witness) => witness.kind === 'not-served') ? {} : undefined;
  }
  // Where the model knows no entry point, the function's own kind says whether it sets up or tears down.
  const witness = verdict.on === 'loop' ? verdict.witness : undefined;
  const kind = witness?.kind ?? (fn.kind === 'lifespan' ? 'startup' : fn.kind);
  const phase = kind === 'startup' || kind === 'shutdown' ? kind : undefined;
  // Startup and shutdown stall no request: reported only in preview (on real code they were judged noise).
  if (phase && !config.preview) return undefined;
  return { ...(witness && { witness }), ...(phase && { phase }) };
}

/**
 * A Pydantic validator runs wherever its model is built: on the serving loop when a FastAPI
 * handler's body or query model is its class, whether the handler is `async def` or not.
 */
function validatorPlacement(context: RuleContext, fn: FunctionFacts): LoopPlacement | undefined {
  if (!fn.decorators.some((decorator) => MODEL_VALIDATORS.test(decorator))) return undefined;
  const { module, project } = context;
  const verdict = contextModelOf(project, module).loopVerdict(module.moduleName, fn.id);
  return verdict.on === 'loop' && verdict.witness.kind === 'request-loop' ? { witness: verdict.witness } : undefined;
}

/**
 * Where a function's calls that wait (on the network, the disk, a timer) stall the serving loop:
 * as `loopPlacement`, except that in TypeScript a function no entry point is known to reach is
 * left to preview. On real code such functions were mostly startup and configuration code the
 * server calls through a global application object (`WIKI.servers.startHTTPS()`,
 * `Database.connect()` from the startup script): their reads were judged wrong or of little value.
 * CPU-heavy work (IL203) keeps `loopPlacement`: there the same functions held real hazards
 * (password hashing behind CommonJS exports).
 */
export function waitingPlacement(context: RuleContext, fn: FunctionFacts): LoopPlacement | undefined {
  const placement = loopPlacement(context, fn);
  if (placement && !placement.witness && context.module.language === 'typescript' && !context.config.preview) return undefined;
  return placement;
}

/** The phase a call of a lifespan runs in: before its `yield` at startup, after it at shutdown. */
export function phaseAt(fn: FunctionFacts, placement: LoopPlacement, range: Range): LoopPlacement['phase'] {
  if (fn.kind !== 'lifespan' || !placement.phase) return placement.phase;
  const yieldAt = yieldPosition(fn);
  return yieldAt && comparePositions(range.start, yieldAt) >= 0 ? 'shutdown' : 'startup';
}

/** Blocking during startup or shutdown delays it but stalls no request: worth knowing, not a warning. */
export function loopSeverity(phase: LoopPlacement['phase']): Severity | undefined {
  return phase ? 'info' : undefined;
}

const FRAMEWORK_LABELS: Partial<Record<Framework, string>> = {
  express: 'Express',
  fastify: 'Fastify',
  nestjs: 'NestJS',
  koa: 'Koa',
  hono: 'Hono',
  'node-http': 'Node `http`',
  nextjs: 'Next.js',
};

/**
 * How messages name the function: `async def fetch_rates`, `the aiohttp handler index`; in
 * TypeScript `the Express POST handler \`createOrder\``, `async function \`sync\``, and by line
 * for anonymous functions (`the Express GET handler at line 12`).
 */
export function describeFunction(fn: FunctionFacts, language: Language = 'python'): string {
  if (language === 'python') {
    if (fn.isAsync) return `\`async def ${fn.qualifiedName}\``;
    if (fn.decorators.some((decorator) => MODEL_VALIDATORS.test(decorator))) return `the Pydantic validator \`${fn.qualifiedName}\``;
    return `the ${fn.framework ? `${fn.framework} ` : ''}handler \`${fn.qualifiedName}\``;
  }
  const named = fn.name === '<anonymous>' ? `at line ${lineOf(fn.range)}` : `\`${fn.qualifiedName}\``;
  if (fn.kind === 'route' || fn.kind === 'websocket') {
    const framework = fn.framework ? `${FRAMEWORK_LABELS[fn.framework] ?? fn.framework} ` : '';
    const methods = fn.httpMethods ? `${fn.httpMethods.join('/')} ` : '';
    return `the ${framework}${methods}${fn.kind === 'websocket' ? 'message ' : ''}handler ${named}`;
  }
  if (fn.isAsync) return fn.name === '<anonymous>' ? `the async function at line ${lineOf(fn.range)}` : `async function ${named}`;
  return fn.name === '<anonymous>' ? `the callback at line ${lineOf(fn.range)}` : `the callback ${named}`;
}

/** What waiting on the loop costs, for the middle of a message: of one call, or of several. */
export function stallConsequence(phase: LoopPlacement['phase'], several = false): string {
  return phase
    ? `${several ? 'they hold' : 'it holds'} up the ${phase} (no request is being served ${phase === 'shutdown' ? 'any more' : 'yet'}, but every task already on the loop waits)`
    : `until ${several ? 'each returns' : 'it returns'}, the event loop — and every other request this worker is serving — waits`;
}

export interface CatalogMatch {
  call: CallEvent;
  entry: CatalogEntry;
}

/**
 * One finding: a blocking call, with the calls that only use what it opened — methods on the
 * object it returned (`fh.read()` after `open()`, `server.sendmail()` after `smtplib.SMTP()`) and
 * file readers in its `with` block or statement (`json.load(fh)`). Fixing the first fixes them.
 */
export interface MatchGroup {
  first: CatalogMatch;
  followers: CatalogMatch[];
}

export function matchGroups(fn: FunctionFacts, matcher: CallMatcher<CatalogEntry>): MatchGroup[] {
  const matches = ownCalls(fn).flatMap(({ call, awaited, entered }): CatalogMatch[] => {
    const entry = matcher.match(call.callee, call.literalArguments);
    if (!entry || (awaited && !entry.blocksWhenAwaited) || (entry.blocksWhenEntered && !entered)) return [];
    return entry.inMemoryHarmless && overInMemoryFile(fn, call) ? [] : [{ call, entry }];
  });
  const groups = new Map<CatalogMatch, MatchGroup>();
  for (const match of matches) {
    if (!matches.some((other) => other !== match && follows(match, other))) groups.set(match, { first: match, followers: [] });
  }
  for (const match of matches) {
    if (groups.has(match)) continue;
    const owner = [...groups.keys()].find((first) => follows(match, first));
    if (owner) groups.get(owner)!.followers.push(match);
    else groups.set(match, { first: match, followers: [] });
  }
  return [...groups.values()].sort((a, b) => compareRanges(a.first.call.range, b.first.call.range));
}

function follows(later: CatalogMatch, first: CatalogMatch): boolean {
  if (compareRanges(first.call.range, later.call.range) > 0) return false;
  const { callee } = first.call;
  if (callee && later.call.callee?.startsWith(`${callee}()`)) return true;
  return !!first.entry.opensFile && !!later.entry.usesOpenFile && rangeWithin(later.call.range, first.call.statement.range);
}

/** Related locations for the calls folded into a finding. */
export function followerLocations(path: string, group: MatchGroup): RelatedLocation[] {
  return group.followers.map(({ call }) => ({ path, range: call.range, message: `\`${call.text}()\` blocks too, on what line ${lineOf(group.first.call.range)} opened` }));
}

/** ` The calls on what it opened block too (lines 8 and 9).` — or nothing. */
export function followerSentence(group: MatchGroup): string {
  const lines = [...new Set(group.followers.map(({ call }) => lineOf(call.range)))];
  if (lines.length === 0) return '';
  const list = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
  return ` The calls on what it opened block too (${list}).`;
}

function compareRanges(a: Range, b: Range): number {
  return comparePositions(a.start, b.start);
}

import { basename } from 'node:path';
import type { CatalogEntry } from '../../core/call-pattern';
import { synchronousCalls } from '../../core/call-summary';
import { reachedFrom } from '../../core/contexts/describe';
import type { CallEvent, FunctionFacts, ModuleFacts, Range } from '../../core/facts';
import type { RelatedLocation, Severity } from '../../core/hazard';
import { lineOf, type RuleContext } from '../../core/rule';
import { storyStep } from '../story-steps';
import type { BlockingChain, ImportedInstance, ProjectCallGraph } from './call-graph';
import { describeFunction, loopPlacement, loopSeverity, phaseAt, stallConsequence, type LoopPlacement } from './loop-calls';
import { helperRemedy, misplacedOffload, remedyFor } from './offload-fix';

/** How a rule words the chains it reports: what the sync code does, and its last step. */
export interface ChainWording {
  stalls: string;
  lastStep: string;
  /** The severity when the code runs per request; startup and shutdown are `info` whatever it is. */
  severity?: Severity;
}

export const BLOCKING_CHAINS: ChainWording = { stalls: 'blocks', lastStep: 'may block' };
export const CPU_CHAINS: ChainWording = { stalls: 'is CPU-heavy', lastStep: 'burns CPU' };

/**
 * Reports the calls coroutines (and other code on the serving loop) make into the project's sync
 * code when it ends, however many calls and modules deep, in a call the graph's catalog names; and
 * the catalog's calls made on another module's instance of a library type. Calls the catalog names
 * directly are the direct rule's (IL201, IL203). A chain that `deferTo` also finds is left to the
 * rule that owns that graph: one finding per call, the one that says the helper blocks.
 */
export function reportStallingChains(
  context: RuleContext,
  graph: ProjectCallGraph,
  wording: ChainWording,
  { deferTo, placed = loopPlacement }: { deferTo?: ProjectCallGraph; placed?: typeof loopPlacement } = {},
): void {
  const { module } = context;
  for (const fn of module.functions) {
    const placement = placed(context, fn);
    if (!placement) continue;
    const nested = nestedByParent(module).get(fn.id);
    for (const call of synchronousCalls(fn)) {
      const local = call.callee ? undefined : nested?.get(call.text);
      const localChain = local && graph.nestedFunction(local);
      if (localChain) {
        const chain = graph.blockingChain(localChain);
        if (chain && !deferTo?.blockingChain(localChain)) reportChain(context, fn, placement, call, chain, wording);
        continue;
      }
      if (!call.callee || graph.matchesDirectly(call.callee, call.literalArguments)) continue;
      const stalling = graph.blockingEntry(call.callee, call.literalArguments);
      if (stalling) {
        reportInstanceCall(context, fn, placement, call, stalling, wording);
        continue;
      }
      const callee = graph.inlineFunction(call.callee);
      const chain = callee && graph.blockingChain(callee, call.literalArguments);
      if (chain && !deferTo?.blockingChain(callee, call.literalArguments)) reportChain(context, fn, placement, call, chain, wording);
    }
  }
}

/** The functions (not lambdas) nested in each function of a module, by their names: indexed once per module, not once per caller. */
function nestedByParent(module: ModuleFacts): ReadonlyMap<string, ReadonlyMap<string, FunctionFacts>> {
  let index = nestedIndexes.get(module);
  if (!index) {
    const byParent = new Map<string, Map<string, FunctionFacts>>();
    for (const inner of module.functions) {
      if (inner.parent === undefined || inner.isLambda) continue;
      let named = byParent.get(inner.parent);
      if (!named) byParent.set(inner.parent, (named = new Map()));
      named.set(inner.name, inner);
    }
    nestedIndexes.set(module, (index = byParent));
  }
  return index;
}

const nestedIndexes = new WeakMap<ModuleFacts, ReadonlyMap<string, ReadonlyMap<string, FunctionFacts>>>();

function where(path: string, range: Range): string {
  return `${basename(path)}:${lineOf(range)}`;
}

function instanceNote(instance: ImportedInstance): RelatedLocation {
  return { path: instance.path, range: instance.range, message: `\`${instance.name}\` is the \`${instance.type}\` created here` };
}

function reportChain(context: RuleContext, fn: FunctionFacts, placement: LoopPlacement, call: CallEvent, chain: BlockingChain, wording: ChainWording): void {
  const { module } = context;
  const last = chain.steps[chain.steps.length - 1]!;
  const path = chain.steps.map(({ caller }) => `\`${caller.name}\``).join(' → ');
  const blockingCall = `\`${last.call.text}()\` (${where(last.caller.path, last.call.range)})`;
  const related: RelatedLocation[] = chain.steps.map(({ caller, call: step }, index) => ({
    path: caller.path,
    range: step.range,
    message:
      index === chain.steps.length - 1
        ? `${wording.lastStep}: \`${step.text}()\` ${chain.entry.does}`
        : `\`${caller.name}\` calls \`${step.text}()\` here`,
  }));
  if (chain.instance) related.push(instanceNote(chain.instance));
  const misplaced = misplacedOffload(context, call);
  const phase = phaseAt(fn, placement, call.range);
  const { advice, fix } = misplaced ?? helperRemedy(context, fn, call, chain.entry.suggestion);
  context.report({
    message: `\`${call.text}()\` runs sync code that ${wording.stalls}, called from ${describeFunction(fn, module.language)}${reachedFrom(placement.witness)}: ${path} → ${blockingCall}, which ${chain.entry.does}; ${stallConsequence(phase)}. ${advice}`,
    range: call.range,
    severity: loopSeverity(phase) ?? wording.severity,
    related,
    fix,
    story: {
      kind: 'blocking-call',
      call: storyStep(module, call.range, call.statement),
      chain: chain.steps.map(({ caller, call: step }) => ({ range: step.range, code: `${step.text}()`, path: caller.path })),
      does: chain.entry.does,
    },
  });
}

function reportInstanceCall(
  context: RuleContext,
  fn: FunctionFacts,
  placement: LoopPlacement,
  call: CallEvent,
  stalling: { entry: CatalogEntry; instance?: ImportedInstance },
  wording: ChainWording,
): void {
  const { entry, instance } = stalling;
  const { module } = context;
  const origin = instance ? ` (\`${instance.name}\` is the \`${instance.type}\` created at ${where(instance.path, instance.range)})` : '';
  const phase = phaseAt(fn, placement, call.range);
  const { advice, fix } = remedyFor(context, fn, [{ first: { call, entry }, followers: [] }]);
  context.report({
    message: `\`${call.text}()\`${origin} in ${describeFunction(fn, module.language)}${reachedFrom(placement.witness)} ${entry.does}: ${stallConsequence(phase)}. ${advice}`,
    range: call.range,
    severity: loopSeverity(phase) ?? wording.severity,
    related: instance ? [instanceNote(instance)] : [],
    fix,
    story: { kind: 'blocking-call', call: storyStep(module, call.range, call.statement), chain: [], does: entry.does },
  });
}

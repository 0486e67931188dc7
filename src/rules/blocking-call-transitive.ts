import { basename } from 'node:path';
import type { CatalogEntry } from '../core/call-pattern';
import type { CallEvent, FunctionFacts, Range } from '../core/facts';
import { reachedFrom } from '../core/contexts/describe';
import type { RelatedLocation } from '../core/hazard';
import { lineOf, type Rule, type RuleContext } from '../core/rule';
import { callCatalogs } from './blocking/call-catalogs';
import { ProjectCallGraph, summarizeCallGraph, type BlockingChain, type ImportedInstance } from './blocking/call-graph';
import { storyStep } from './story-steps';
import { describeFunction, loopPlacement, loopSeverity, phaseAt, stallConsequence, synchronousCalls, type LoopPlacement } from './blocking/loop-calls';
import { helperRemedy, misplacedOffload, remedyFor } from './blocking/offload-fix';

export const blockingCallTransitive: Rule = {
  meta: {
    code: 'IL202',
    name: 'blocking-call-transitive',
    family: 'blocking',
    defaultSeverity: 'warning',
    summary: 'Async code calls a sync function that — directly or through other functions, in any module — makes a blocking call.',
    languages: ['python', 'typescript'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Follows the calls a coroutine makes into the project's own sync functions and methods — in the
same module or imported from others, through re-exports and module-level instances
(\`mailer = Mailer()\`), any number of calls deep and safe against recursion — and reports the call
in the async code when the chain ends in a call IL201 or IL203 would report — one that waits on
something outside the process, or CPU-heavy work such as password hashing (their catalogs plus
the \`blocking-calls\` and \`cpu-bound-calls\` settings). The chain is shown step by step as
related information, ending in "may block: \`smtplib.SMTP()\`" at the line that blocks.

It also reports blocking calls on module-level instances imported from another module
(\`from app.clients import http\` then \`http.get(url)\`, where \`http = requests.Session()\`).

In TypeScript and JavaScript the chain runs through functions, methods, object-literal methods
(\`passwords.hash()\`) and named helpers nested in a handler, across modules joined by relative
imports (and \`tsconfig\` paths when there is a project), from every request handler and async
function; \`await\`ed calls are promises and are not followed.`,
      whyIsThisBad: `
Wrapping a blocking call in a helper does not make it asynchronous: when a coroutine calls
\`send_receipt()\`, and \`send_receipt\` opens an SMTP connection, the event loop waits for the mail
server exactly as if the coroutine had called \`smtplib.SMTP\` itself. Linters that look only at
the coroutine's own body miss this — and it is the usual shape in real code, where the blocking
call sits in a service module written before the app went async.

Not followed: functions handed by reference to \`asyncio.to_thread\`, \`run_in_threadpool\`,
\`BackgroundTasks.add_task\` and the like; functions decorated with an offload wrapper
(\`@sync_to_async\`, \`@asyncify\`, or one listed in \`offload-wrappers\`); coroutine functions
(IL201 checks their bodies); and cached functions without parameters (\`@lru_cache\`), whose body
runs once per process.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import smtplib

from fastapi import FastAPI

app = FastAPI()


def send_receipt(address: str) -> None:
    with smtplib.SMTP("mail.internal") as server:
        server.sendmail("shop@example.com", [address], "Thanks for your order")


@app.post("/orders")
async def create_order(address: str):
    send_receipt(address)
    return {"status": "created"}
`,
          good: `
import smtplib

from fastapi import BackgroundTasks, FastAPI

app = FastAPI()


def send_receipt(address: str) -> None:
    with smtplib.SMTP("mail.internal") as server:
        server.sendmail("shop@example.com", [address], "Thanks for your order")


@app.post("/orders")
async def create_order(address: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_receipt, address)
    return {"status": "created"}
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import { execSync } from 'node:child_process';
import express from 'express';

const app = express();

function currentVersion(): string {
  return execSync('git rev-parse HEAD').toString().trim();
}

app.get('/version', async (req, res) => {
  res.send(currentVersion());
});
`,
          good: `
import { execSync } from 'node:child_process';
import express from 'express';

const app = express();
const version = execSync('git rev-parse HEAD').toString().trim();

app.get('/version', async (req, res) => {
  res.send(version);
});
`,
        },
      ],
      fixSafety: `
The fix runs the call in a worker thread — \`await run_in_threadpool(f, *args)\` in FastAPI and
Starlette code, \`await asyncio.to_thread(f, *args)\` elsewhere — or, for an \`async def\` endpoint or
dependency that never awaits, turns it into a plain \`def\` that the framework runs in its
threadpool. It is **unsafe**: the helper then runs concurrently with the event loop, so shared state
it touches without a lock can race. Often better: make the helper itself async, or move the work to
a background task. TypeScript gets no fix: make the helper async (\`fs/promises\`), compute the value
once at startup, or move the work to a \`worker_threads\` worker.`,
      whenNotToUse: `
When the helper only blocks on a path the async caller never takes (a flag, a cache hit), suppress
the finding at the call with a reason: \`# interleave: ignore[blocking-call-transitive] -- cached\`.
Across files the rule sees the modules of one analysis run; a module outside it is not followed.`,
    },
  },
  summarize: summarizeCallGraph,
  check(context) {
    const { module, project, config } = context;
    const catalogs = callCatalogs(config);
    const graph = new ProjectCallGraph(project, blockingCallTransitive.meta.code, module, catalogs.stallsTheLoop, catalogs.offloadWrappers);
    for (const fn of module.functions) {
      const placement = loopPlacement(context, fn);
      if (!placement) continue;
      const nested = new Map(module.functions.filter((inner) => inner.parent === fn.id && !inner.isLambda).map((inner) => [inner.name, inner]));
      for (const call of synchronousCalls(fn)) {
        const local = call.callee ? undefined : nested.get(call.text);
        const localChain = local && graph.nestedFunction(local);
        if (localChain) {
          const chain = graph.blockingChain(localChain);
          if (chain) reportChain(context, fn, placement, call, chain);
          continue;
        }
        if (!call.callee || catalogs.stallsTheLoop.match(call.callee, call.literalArguments)) continue;
        const blocking = graph.blockingEntry(call.callee, call.literalArguments);
        if (blocking) {
          reportInstanceCall(context, fn, placement, call, blocking.entry, blocking.instance);
          continue;
        }
        const callee = graph.inlineFunction(call.callee);
        const chain = callee && graph.blockingChain(callee);
        if (chain) reportChain(context, fn, placement, call, chain);
      }
    }
  },
};

function where(path: string, range: Range): string {
  return `${basename(path)}:${lineOf(range)}`;
}

function instanceNote(instance: ImportedInstance): RelatedLocation {
  return { path: instance.path, range: instance.range, message: `\`${instance.name}\` is the \`${instance.type}\` created here` };
}

function reportChain(context: RuleContext, fn: FunctionFacts, placement: LoopPlacement, call: CallEvent, chain: BlockingChain): void {
  const { module } = context;
  const last = chain.steps[chain.steps.length - 1]!;
  const path = chain.steps.map(({ caller }) => `\`${caller.name}\``).join(' → ');
  const blockingCall = `\`${last.call.text}()\` (${where(last.caller.path, last.call.range)})`;
  const related: RelatedLocation[] = chain.steps.map(({ caller, call: step }, index) => ({
    path: caller.path,
    range: step.range,
    message:
      index === chain.steps.length - 1
        ? `may block: \`${step.text}()\` ${chain.entry.does}`
        : `\`${caller.name}\` calls \`${step.text}()\` here`,
  }));
  if (chain.instance) related.push(instanceNote(chain.instance));
  const misplaced = misplacedOffload(context, call);
  const phase = phaseAt(fn, placement, call.range);
  const remedy = misplaced ? { advice: misplaced.advice, fix: misplaced.fix } : helperRemedy(context, fn, call, chain.entry.suggestion);
  context.report({
    message: `\`${call.text}()\` runs sync code that blocks, called from ${describeFunction(fn, module.language)}${reachedFrom(placement.witness)}: ${path} → ${blockingCall}, which ${chain.entry.does}; ${stallConsequence(phase)}. ${remedy.advice}`,
    range: call.range,
    severity: loopSeverity(phase),
    related,
    fix: remedy.fix,
    story: {
      kind: 'blocking-call',
      call: storyStep(module, call.range, call.statement),
      chain: chain.steps.map(({ caller, call: step }) => ({ range: step.range, code: `${step.text}()`, path: caller.path })),
      does: chain.entry.does,
    },
  });
}

function reportInstanceCall(context: RuleContext, fn: FunctionFacts, placement: LoopPlacement, call: CallEvent, entry: CatalogEntry, instance?: ImportedInstance): void {
  const { module } = context;
  const origin = instance ? ` (\`${instance.name}\` is the \`${instance.type}\` created at ${where(instance.path, instance.range)})` : '';
  const phase = phaseAt(fn, placement, call.range);
  const { fix, advice } = remedyFor(context, fn, [{ first: { call, entry }, followers: [] }]);
  context.report({
    message: `\`${call.text}()\`${origin} in ${describeFunction(fn, module.language)}${reachedFrom(placement.witness)} ${entry.does}: ${stallConsequence(phase)}. ${advice}`,
    range: call.range,
    severity: loopSeverity(phase),
    related: instance ? [instanceNote(instance)] : [],
    fix,
    story: { kind: 'blocking-call', call: storyStep(module, call.range, call.statement), chain: [], does: entry.does },
  });
}


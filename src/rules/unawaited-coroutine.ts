import { CallMatcher } from '../core/call-pattern';
import { contextModelOf, type ContextKind, type ContextModel } from '../core/contexts';
import type { CallEvent, FunctionFacts, ModuleFacts, Range } from '../core/facts';
import type { Fix } from '../core/hazard';
import { calleeNamesOf, callsOf } from '../core/request-reach';
import { projectIndex } from '../core/project-index';
import type { ProjectFacts, Rule, RuleContext } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { NODE_PROMISE_CALLS } from './catalog/node-promises';
import { isKnownCoroutineCall, TRANSPARENT_DECORATORS } from './catalog/tasks';
import { canReject, chainedCallee, projectRejections, rejectionFate, rejectionHandledInChain, summarizeRejections, type RejectionSummary } from './tasks/rejections';

/**
 * What other modules need to know: the names this module's coroutine functions are called by, and
 * in JavaScript what the module tells about rejections.
 */
interface CoroutineSummary {
  coroutines: string[];
  rejections?: RejectionSummary;
}

/**
 * A function whose call returns a coroutine: `async def`, not an async generator (those need
 * no await to be created), and not wrapped by a decorator that could turn it into something else.
 */
function isCoroutineFunction(fn: FunctionFacts): boolean {
  if (!fn.isAsync || fn.isLambda) return false;
  if (!fn.decorators.every((decorator) => TRANSPARENT_DECORATORS.has(decorator))) return false;
  return !fn.flow.blocks.some((block) => block.events.some((event) => event.kind === 'await' && event.form === 'yield'));
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** The names of the coroutine functions nested in each function, by the enclosing function's id: one pass over the module. */
function nestedCoroutineNames(module: ModuleFacts, keep: (fn: FunctionFacts) => boolean = () => true): Map<string, Set<string>> {
  const byParent = new Map<string, Set<string>>();
  for (const inner of module.functions) {
    if (inner.parent === undefined || !isCoroutineFunction(inner) || !keep(inner)) continue;
    let names = byParent.get(inner.parent);
    if (!names) byParent.set(inner.parent, (names = new Set()));
    names.add(inner.name);
  }
  return byParent;
}

function coroutineNames(module: ModuleFacts): string[] {
  const names: string[] = [];
  for (const fn of module.functions) {
    if (!isCoroutineFunction(fn)) continue;
    names.push(...calleeNamesOf(module, fn));
    if (!fn.className || fn.parent) continue;
    // `from app.services import notifier; notifier.send()` reaches the method through the instance.
    for (const state of module.state) {
      if (state.scope === 'singleton' && state.valueKind === `${module.moduleName}.${fn.className}()`) {
        names.push(`${module.moduleName}.${state.root}.${fn.name}`);
      }
    }
  }
  // The names the module gives its own coroutines (`module.exports = Monitor` makes `Monitor.sendStats` its `sendStats`).
  const own = new Set(names);
  for (const fact of module.imports) if (own.has(fact.target)) names.push(`${module.moduleName}.${fact.local}`);
  return names;
}

function isSummary(value: unknown): value is CoroutineSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as CoroutineSummary).coroutines);
}

/** Every module's coroutine names, from the summaries. */
function projectCoroutines(project: ProjectFacts): Set<string> {
  const names = new Set<string>();
  for (const summary of project.summaries?.get('IL403')?.values() ?? []) {
    if (isSummary(summary)) for (const name of summary.coroutines) names.add(name);
  }
  return names;
}

/** The names calls are checked against: membership is all the rule asks. */
type NameSet = Pick<ReadonlySet<string>, 'has'>;

const nodePromises = new CallMatcher(NODE_PROMISE_CALLS);

/**
 * Why a statement call's result is a promise, or undefined when it is not known to be one: the
 * checker's type, a coroutine function of the project, a library call known to return a promise,
 * or a `.then`/`.finally` chained on one of those.
 */
function promiseSource(call: CallEvent, coroutines: NameSet, nested: ReadonlySet<string>, callbacks: ReadonlySet<string>): string | undefined {
  if (call.awaitable) return 'its type is a promise';
  if (call.callee === undefined) return nested.has(call.text) ? `\`${call.text}\` is an async function` : undefined;
  const callee = chainedCallee(call.callee);
  // Named as written (`audit.record`), or for a chain by the function it starts from (`record`).
  const written = callee === call.callee ? call.text : callee.slice(callee.lastIndexOf('.') + 1);
  if (coroutines.has(callee)) return `\`${written}\` is an async function`;
  // A library call given a callback reports through the callback instead of a promise.
  if (nodePromises.match(callee) && !callbacks.has(rangeKey(call.range))) return `\`${callee}\` returns a promise`;
  return undefined;
}

function rangeKey(range: Range): string {
  return `${range.start.line}:${range.start.character}`;
}

/**
 * Floating promises in TypeScript and JavaScript: a promise-returning call written as a statement,
 * not awaited, returned, given a rejection handler (\`.catch\`, two-argument \`.then\`, also further
 * down its chain) or marked with \`void\`, unless it is a project function that cannot reject. A
 * call marked with \`void\` that can reject is reported too when the project installs no
 * process-wide \`unhandledRejection\` handler: the mark says the promise is dropped on purpose,
 * but its rejection still ends the process.
 */
function checkFloatingPromises(module: ModuleFacts, project: ProjectFacts, coroutines: NameSet, context: Pick<RuleContext, 'fixes' | 'report' | 'config'>): void {
  const { fixes, report, config } = context;
  const rejections = projectRejections(project, module, 'IL403');
  const callbacks = new Set(module.functions.flatMap((fn) => (fn.passedTo ? [rangeKey(fn.passedTo.range)] : [])));
  // A nested async function that cannot reject is no floating promise to worry about.
  const nestedCoroutines = nestedCoroutineNames(module, (inner) => canReject(inner, rejections.neverReject));
  const model = contextModelOf(project, module);
  for (const fn of module.functions) {
    // Startup code's dropped rejections reach the project's handler, which logs them, and no request
    // waits on that work: on real code such drops were judged of little value (preview).
    if (rejections.handler && !config.preview && runsOnlyAtStartup(model, module, fn)) continue;
    const nested = nestedCoroutines.get(fn.id) ?? NO_NAMES;
    for (const call of callsOf(fn)) {
      // `void work()` says the drop is meant, as typescript-eslint reads it; that it may still end the process is a preview finding.
      const voided = config.preview && call.voided === true && !rejections.handler;
      if ((call.usage !== 'statement' && !voided) || rejectionHandledInChain(fn, call)) continue;
      if (call.callee !== undefined && rejections.neverReject.has(chainedCallee(call.callee))) continue;
      const source = promiseSource(call, coroutines, nested, callbacks);
      if (!source) continue;
      const fate = `if it rejects, the rejection ${rejectionFate(rejections)}`;
      const text = excerpt(module, call.range);
      if (voided) {
        report({
          message: `\`void ${text}\` drops a promise on purpose (${source}), but ${fate}. Handle its failure where it is dropped: \`void work().catch(log)\`.`,
          range: call.range,
        });
        continue;
      }
      const canAwait = fn.isAsync && !fn.isLambda;
      const fix: Fix | undefined = canAwait ? { applicability: 'safe', message: `Await \`${call.text}(…)\``, edits: fixes.awaitCall(call.range) } : undefined;
      const remedy = canAwait
        ? '`await` it; if it should run in the background, handle its failure and say so: `void work().catch(log)`.'
        : `\`${fn.name === '<anonymous>' ? 'this function' : fn.name}\` is not async, so it cannot await: return the promise to the caller, or handle its failure and say so: \`void work().catch(log)\`.`;
      report({
        message: `\`${text}\` starts a promise and drops it (${source}): nothing waits for its work, and ${fate}. ${remedy}`,
        range: call.range,
        fix,
      });
    }
  }
}

/** Contexts that end before the server takes requests, or are not in it. */
const BEFORE_SERVING: ReadonlySet<ContextKind> = new Set(['import', 'startup', 'not-served']);

/**
 * Whether every known way into a function is while the process starts (or outside the server).
 * Calls the model could not resolve are not asked about: a name as common as `connect` always has
 * some, and with a handler installed a drop they might make elsewhere is logged all the same.
 */
function runsOnlyAtStartup(model: ContextModel, module: ModuleFacts, fn: FunctionFacts): boolean {
  const { witnesses } = model.contextsOf(module.moduleName, fn.id);
  return witnesses.some((witness) => witness.kind !== 'not-served') && witnesses.every((witness) => BEFORE_SERVING.has(witness.kind));
}

/** The methods of a coroutine object itself. */
const COROUTINE_METHODS = /\.(send|throw|close|__await__)$/;

/**
 * Whether a local holding a coroutine is consumed anywhere in the function or the functions nested
 * in it: awaited, handed to a call (`gather(*coros)`, `create_task(coro)`), driven or closed
 * (`coro.send(None)`, `coro.close()`), returned, or stored or bound elsewhere. A local only
 * compared, indexed, tested or asked for `.items()` is used as if it held the result.
 */
function coroutineConsumed(module: ModuleFacts, fn: FunctionFacts, name: string): boolean {
  // The coroutine itself as an argument (`gather(first)`), not a value read from it (`list(servers.values())`).
  const word = new RegExp(`(^|[^\\w.])${name}\\b(?!\\s*[.[])`);
  const scopes = [fn, ...module.functions.filter((inner) => isNestedIn(module, inner, fn))];
  return scopes.some((scope) =>
    scope.flow.blocks.some((block) =>
      block.events.some((event) => {
        switch (event.kind) {
          case 'await':
            return event.text === name;
          case 'call':
            return (
              (event.receiver?.key === name && COROUTINE_METHODS.test(event.text)) ||
              (event.arguments ?? []).some((argument) => argument.key === name) ||
              (event.positional ?? []).some((argument) => word.test(argument))
            );
          case 'return':
          case 'write':
          case 'field-write':
            // Handed on as it is; `return list(servers.values())` returns a value computed from it.
            return !event.value.computed && event.value.locals.includes(name);
          case 'bind':
            // Another name for the coroutine (`task = coro`), not a value computed from it.
            return event.name !== name && !event.value.computed && event.value.locals.includes(name);
          default:
            return false;
        }
      }),
    ),
  );
}

function isNestedIn(module: ModuleFacts, candidate: FunctionFacts, ancestor: FunctionFacts): boolean {
  for (let parent = candidate.parent; parent; parent = module.functions.find((fn) => fn.id === parent)?.parent) {
    if (parent === ancestor.id) return true;
  }
  return false;
}

export const unawaitedCoroutine: Rule = {
  meta: {
    code: 'IL403',
    name: 'unawaited-coroutine',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A coroutine function is called as a statement and never awaited, so its body never runs; in TypeScript, a promise is dropped with its rejection unhandled.',
    languages: ['python', 'typescript'],
    fix: 'sometimes',
    docs: {
      whatItDoes: `
Finds calls of coroutine functions written as bare statements: \`async def\` functions and
methods of the project (in any module, through imports and module-level instances), nested
\`async def\`s, and well-known library coroutines such as \`asyncio.sleep\`,
\`websocket.send_text\`, \`run_in_threadpool\` and \`httpx.AsyncClient\` requests. A coroutine kept in
a local is reported too when nothing awaits it or hands it on as it is — to \`gather\`, a task, a
\`return\` — and the code only reads values from it (\`name in servers\`, \`servers.values()\`).

In TypeScript and JavaScript it reports floating promises: a call written as a statement whose
result is a promise — an async function or method of the project (in any module), a library call
known to return one (\`fs/promises\`, \`fetch\`, \`pg\` queries, Prisma, ioredis, \`nodemailer\`), a
\`.then\`/\`.finally\` chained on one, or, with a \`tsconfig.json\`, any call the type checker types
as a thenable — that is not awaited, returned, or given a rejection handler (\`.catch(h)\`,
\`.then(ok, h)\`, also further down the chain: \`.catch(h).finally(f)\`). An async function of the
project that cannot reject — every \`await\` in it is caught by a \`try\` that does not throw again,
or awaits functions that cannot reject either — is not reported when dropped. \`void work()\` marks
the drop as intended and is not reported, as typescript-eslint's \`no-floating-promises\` reads it.
With \`preview = true\` a \`void\`ed call that can reject is reported when the project installs no
process-wide \`unhandledRejection\` handler, since its rejection still ends the process. When the
project does install one, a promise dropped by code that runs only while the process starts (every
known entry point reaches it at import or startup) is reported only with \`preview = true\`: no
request waits on that work and the handler logs a failure; on real code such drops were judged of
little value.`,
      whyIsThisBad: `
Calling a coroutine function only creates a coroutine object; nothing in its body runs until it
is awaited or scheduled. \`notify_user(order)\` on its own line looks like it sends the
notification and does nothing at all — Python prints "coroutine 'notify_user' was never
awaited" to stderr, if anyone reads it. A missing \`await\` on \`websocket.send_text(...)\` means
the client never gets the message; on \`asyncio.sleep(1)\` the back-off never happens.

A JavaScript promise does run, but nothing waits for it: the handler answers before the work is
done, errors skip the handler's \`try\`/\`catch\`, and a rejection is unhandled — since Node 15 that
ends the process, and with a process-wide \`unhandledRejection\` handler it is only logged, far
from its cause. A dropped Prisma query does not run at all: Prisma's promises start on \`await\`.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
from fastapi import FastAPI

app = FastAPI()


async def record_visit(path: str) -> None:
    ...


@app.get("/")
async def home() -> dict:
    record_visit("/")
    return {"ok": True}
`,
          good: `
from fastapi import FastAPI

app = FastAPI()


async def record_visit(path: str) -> None:
    ...


@app.get("/")
async def home() -> dict:
    await record_visit("/")
    return {"ok": True}
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import express from 'express';
import { mailer } from './mailer';

const app = express();

async function sendReceipt(orderId: string): Promise<void> {
  await mailer.sendMail({ to: 'customer@example.com', subject: \`Order \${orderId}\` });
}

app.post('/orders/:id/pay', async (req, res) => {
  sendReceipt(req.params.id);
  res.sendStatus(204);
});
`,
          good: `
import express from 'express';
import { mailer } from './mailer';

const app = express();

async function sendReceipt(orderId: string): Promise<void> {
  await mailer.sendMail({ to: 'customer@example.com', subject: \`Order \${orderId}\` });
}

app.post('/orders/:id/pay', async (req, res) => {
  await sendReceipt(req.params.id);
  res.sendStatus(204);
});
`,
        },
      ],
      fixSafety: `
Inside an \`async def\` the fix inserts \`await\`; it is **safe**: it makes the call do what it
says, and the calling coroutine now waits for it. If the work should continue after the response
instead, use \`BackgroundTasks\` or a kept task. In a synchronous function no fix is offered: it
cannot await. The same holds in TypeScript; to run work in the background on purpose, handle
its failure and mark the intent: \`void work().catch(log)\`.`,
      whenNotToUse: `
When a decorator this rule cannot see turns the \`async def\` into a plain function (for example
one that schedules it on a queue), suppress with a reason:
\`# interleave: ignore[unawaited-coroutine] -- @enqueue returns a job id\`.`,
    },
  },
  summarize(module): CoroutineSummary {
    return { coroutines: coroutineNames(module), ...(module.language === 'typescript' && { rejections: summarizeRejections(module) }) };
  },
  check({ module, project, fixes, report, config }) {
    // This module's names, fresh (the project's copy may predate an edit), and the project's.
    const own = new Set(coroutineNames(module));
    const everywhere = projectIndex(project, 'IL403', projectCoroutines);
    const coroutines: NameSet = { has: (name) => own.has(name) || everywhere.has(name) };
    if (module.language !== 'python') {
      checkFloatingPromises(module, project, coroutines, { fixes, report, config });
      return;
    }
    const nestedCoroutines = nestedCoroutineNames(module);
    for (const fn of module.functions) {
      const nested = nestedCoroutines.get(fn.id) ?? NO_NAMES;
      for (const call of callsOf(fn)) {
        const holder = call.usage === 'assigned' && call.boundTo?.length === 1 && call.boundTo[0]!.kind === 'local' && !call.boundTo[0]!.key.includes('.') ? call.boundTo[0]!.key : undefined;
        if (call.usage !== 'statement' && !holder) continue;
        const isProjectCoroutine = call.callee !== undefined ? coroutines.has(call.callee) : nested.has(call.text);
        if (!isProjectCoroutine && !isKnownCoroutineCall(call.callee)) continue;
        if (holder && coroutineConsumed(module, fn, holder)) continue;
        const canAwait = fn.isAsync && !fn.isLambda;
        const fix: Fix | undefined = canAwait
          ? { applicability: 'safe', message: `Await \`${call.text}(…)\``, edits: fixes.awaitCall(call.range) }
          : undefined;
        const remedy = canAwait
          ? 'Add `await`, or, if it should run after the response, hand it to `BackgroundTasks` or keep it as a task.'
          : `\`${fn.name}\` is not a coroutine, so it cannot await: make it \`async\`, or schedule the coroutine on the running loop and keep the task.`;
        const dropped = holder
          ? `creates a coroutine that is never awaited: \`${holder}\` holds the coroutine, not its result, and nothing awaits it or hands it on`
          : 'creates a coroutine and drops it';
        report({
          message: `\`${excerpt(module, call.range)}\` ${dropped}: \`${call.callee ?? call.text}\` is a coroutine function, so nothing in it runs until it is awaited (Python only warns "coroutine was never awaited"). ${remedy}`,
          range: call.range,
          fix,
        });
      }
    }
  },
};


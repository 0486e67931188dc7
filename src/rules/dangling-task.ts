import { flowEvents } from '../core/dataflow';
import type { CallEvent, FunctionFacts, ModuleFacts } from '../core/facts';
import type { Fix } from '../core/hazard';
import type { ProjectFacts, Rule, RuleContext } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { PROMISE_DROPPING_CALLEES, PROMISE_DROPPING_METHODS } from './catalog/node-promises';
import { spawnsTask } from './catalog/tasks';
import { canReject, projectRejections, rejectionFate, summarizeRejections } from './tasks/rejections';
import { summarizeWrappers, taskWrappers, wrapperCalled } from './tasks/task-wrappers';

/** Why a spawned task is not kept, or undefined when something holds on to it. */
function danglingReason(module: ModuleFacts, fn: FunctionFacts, call: CallEvent): string | undefined {
  switch (call.usage) {
    case 'statement':
      return 'its result is dropped';
    case 'returned':
      return fn.isLambda ? 'the lambda returns it to a caller that drops it' : undefined;
    case 'assigned': {
      const holders = call.boundTo ?? [];
      // Stored on an object (`buffer.timeout = create_task(…)`, shared state, `self.task`): the object keeps it.
      if (holders.length === 0 || holders.some((holder) => holder.kind !== 'local' || holder.key.includes('.'))) return undefined;
      if (holders.every((holder) => holder.key === '_')) return 'it is assigned to `_`';
      const names = holders.map((holder) => holder.key);
      const uses = localUses(module, fn, names);
      if (uses.length === 0) return `\`${names[0]}\` is never used`;
      if (uses.every((use) => use.onlyCallback)) return `\`${names[0]}\` is only given a done-callback, and a callback does not keep the task alive`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Reads of the names in the function and in functions nested in it, and whether each only adds a done-callback. */
function localUses(module: ModuleFacts, fn: FunctionFacts, names: readonly string[]): { onlyCallback: boolean }[] {
  const scopes = [fn, ...module.functions.filter((nested) => isNestedIn(module, nested, fn))];
  const uses: { onlyCallback: boolean }[] = [];
  for (const scope of scopes) {
    const events = flowEvents(scope.flow);
    for (const event of events) {
      if (event.kind !== 'local-read' || !names.includes(event.name)) continue;
      const onlyCallback = events.some(
        (other) =>
          other.kind === 'call' &&
          other.receiver?.key === event.name &&
          other.text.endsWith('.add_done_callback') &&
          other.range.start.line === event.range.start.line &&
          other.range.start.character === event.range.start.character,
      );
      uses.push({ onlyCallback });
    }
  }
  return uses;
}

function isNestedIn(module: ModuleFacts, candidate: FunctionFacts, ancestor: FunctionFacts): boolean {
  for (let parent = candidate.parent; parent; parent = module.functions.find((fn) => fn.id === parent)?.parent) {
    if (parent === ancestor.id) return true;
  }
  return false;
}

/** The method a call's callee names: `on` for `socket.on`. */
function methodOf(text: string): string {
  return text.slice(text.lastIndexOf('.') + 1);
}

function awaits(fn: FunctionFacts): boolean {
  return fn.flow.blocks.some((block) => block.events.some((event) => event.kind === 'await'));
}

/**
 * An async callback handed to something that drops the promise it returns — a timer, a listener
 * registration, `forEach`, a `Promise` executor — when it can reject: an `await` outside any `try`
 * that handles the failure, on a call not known to never reject. Where the project installs a
 * process-wide `unhandledRejection` handler a rejection is logged, not fatal: only `forEach`, which
 * returns before the work is done, and a `Promise` executor, whose promise may never settle, are
 * still reported.
 */
function checkDroppedCallbacks(module: ModuleFacts, project: ProjectFacts, report: RuleContext['report']): void {
  const rejections = projectRejections(project, module, 'IL401');
  for (const fn of module.functions) {
    const site = fn.passedTo;
    // Routes are the framework's to await; shutdown and startup hooks end or begin the process anyway.
    if (!fn.isAsync || !site || fn.kind === 'route' || fn.kind === 'shutdown' || fn.kind === 'startup') continue;
    const method = methodOf(site.text);
    const drops = (site.callee !== undefined && PROMISE_DROPPING_CALLEES.has(site.callee)) || (site.text.includes('.') && PROMISE_DROPPING_METHODS.has(method));
    if (!drops) continue;
    const rejects = canReject(fn, rejections.neverReject);
    const fate = rejectionFate(rejections);
    const forEach = method === 'forEach';
    const executor = site.callee === 'Promise';
    // With a process-wide handler a dropped rejection is logged; a loop that does not wait, or a promise that never settles, is still wrong.
    if (forEach ? !awaits(fn) : !rejects || (rejections.handler && !executor)) continue;
    const message = forEach
      ? `This async callback runs once per element, and \`forEach\` neither waits for the callbacks nor handles their failures: the loop finishes before the work does${rejects ? `, and a rejection ${fate}` : ''}. Use \`for (const item of items) await …\`, or \`await Promise.all(items.map(async (item) => …))\`.`
      : executor
        ? `This async \`Promise\` executor can reject, and its rejection never reaches the promise it builds, which may never settle; the rejection ${fate}. Make the executor sync and call \`reject\`, or build the promise from the async function itself.`
        : `This async callback can reject, and \`${site.text}\` drops the promise it returns: the rejection ${fate}. Wrap the callback's body in \`try\`/\`catch\` and handle the failure there, or call a function that does.`;
    const line = site.range.start.line;
    report({
      message,
      range: { start: site.range.start, end: { line, character: site.range.start.character + site.text.length } },
      related: [{ path: module.path, range: { start: fn.range.start, end: fn.range.start }, message: 'the async callback' }],
    });
  }
}

export const danglingTask: Rule = {
  meta: {
    code: 'IL401',
    name: 'dangling-task',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A task from `create_task`/`ensure_future` is not kept, so it can be garbage-collected mid-flight and its errors vanish; in TypeScript, an async callback whose promise the caller drops.',
    languages: ['python', 'typescript'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Finds \`asyncio.create_task\`, \`asyncio.ensure_future\` and \`loop.create_task\` calls — and calls
of the project's own helpers that return the task such a call made without keeping it
(\`def create_task(self, coro): return self.loop.create_task(coro)\`, and helpers of those, across
modules) — whose task nobody keeps: the call is a bare statement, its result is assigned to \`_\` or to a name that is
never used (or only given a done-callback), or a lambda used as a callback returns it. Tasks
created by a \`TaskGroup\` (\`tg.create_task\`) are kept by the group, and a task stored on an
object (\`self.task = …\`, \`buffer.pending = …\` of a debounce, \`app.state.job = …\`) or in a
collection is kept by it: neither is reported.

In TypeScript and JavaScript the background work is an async callback handed to something that
drops the promise it returns: a timer (\`setInterval\`, \`setTimeout\`, \`setImmediate\`,
\`process.nextTick\`), a listener (\`emitter.on\`, \`socket.on('message', …)\`), \`forEach\`, or a
\`new Promise\` executor, when the callback can reject. It cannot when every \`await\` in it is
inside a \`try\` whose \`catch\` does not throw again, handles the rejection on the promise
(\`await save().catch(log)\`), or awaits an async function of the project that cannot reject
either (followed across files); such callbacks are not reported, nor are route handlers (the
framework awaits them) and startup and shutdown hooks. When the project installs a process-wide
\`unhandledRejection\` handler that does not exit (\`process.on('unhandledRejection', log)\`), a
dropped rejection is logged rather than fatal: then only \`forEach\` (which does not wait for the
work) and \`Promise\` executors (whose promise may never settle) are reported.`,
      whyIsThisBad: `
The event loop keeps only a *weak* reference to a task. A task nobody else references can be
garbage-collected before it finishes — the work silently stops half-way, typically under memory
pressure in production. Its exception is never retrieved either, so a failing background job
shows up at best as "Task exception was never retrieved" in the logs, long after the request
that started it returned 200.

In Node a rejection nobody handles is fatal: since Node 15 the process exits on an unhandled
rejection, taking every in-flight request with it, because a timer tick or an event failed once.
A process-wide \`unhandledRejection\` handler keeps the process alive, but only logs the failure,
far from the code that could have handled it. \`forEach\` with an async callback also returns
before any of the work is done.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import asyncio

from fastapi import FastAPI

app = FastAPI()


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(1)


@app.post("/orders/{order_id}/pay")
async def pay(order_id: int) -> dict:
    asyncio.create_task(send_receipt(order_id))
    return {"paid": order_id}
`,
          good: `
from fastapi import BackgroundTasks, FastAPI

app = FastAPI()


async def send_receipt(order_id: int) -> None:
    ...


@app.post("/orders/{order_id}/pay")
async def pay(order_id: int, background: BackgroundTasks) -> dict:
    background.add_task(send_receipt, order_id)
    return {"paid": order_id}
`,
        },
        {
          language: 'typescript',
          framework: 'Node',
          bad: `
import { refreshRates } from './rates';

setInterval(async () => {
  await refreshRates();
}, 60_000);
`,
          good: `
import { refreshRates } from './rates';

setInterval(async () => {
  try {
    await refreshRates();
  } catch (error) {
    console.error('refreshing rates failed', error);
  }
}, 60_000);
`,
        },
      ],
      fixSafety: `
The fix binds the task to a name, adds it to a module-level \`background_tasks\` set (created if
the module has none) and registers \`task.add_done_callback(background_tasks.discard)\`. It is
**unsafe**: the task now lives until it finishes, which is the point, but shutdown does not wait
for it and its exception is still unobserved — a \`TaskGroup\`, \`BackgroundTasks\` or a lifespan
that cancels and awaits the set is often the better design. TypeScript gets no fix: how to handle
the failure (log, retry, alert) is the author's call.`,
      whenNotToUse: `
When something this rule cannot see keeps the task (a custom registry filled inside the
coroutine itself), suppress with a reason:
\`# interleave: ignore[dangling-task] -- the job registers itself in JOBS\`.`,
    },
  },
  summarize(module) {
    return module.language === 'typescript' ? { rejections: summarizeRejections(module) } : { wrappers: summarizeWrappers(module) };
  },
  check({ module, project, fixes, report }) {
    if (module.language !== 'python') {
      checkDroppedCallbacks(module, project, report);
      return;
    }
    const wrappers = taskWrappers(project, module);
    for (const fn of module.functions) {
      for (const block of fn.flow.blocks) {
        for (const event of block.events) {
          if (event.kind !== 'call') continue;
          const wrapper = spawnsTask(event.callee, event.text) ? undefined : wrapperCalled(event, wrappers);
          if (!wrapper && !spawnsTask(event.callee, event.text)) continue;
          const reason = danglingReason(module, fn, event);
          if (!reason) continue;
          const kept = fn.isLambda ? undefined : fixes.keepTaskReference(event, fn);
          const fix: Fix | undefined = kept && {
            applicability: 'unsafe',
            message: `Keep the task in \`${kept.setName}\` until it is done`,
            edits: kept.edits,
          };
          report({
            message: `\`${excerpt(module, event.range)}\` starts a task that nobody keeps (${reason}${wrapper ? `; \`${wrapper}\` returns the task it creates and keeps no reference to it` : ''}): the event loop holds only a weak reference, so it can be garbage-collected before it finishes, and its exception is never seen. Keep a reference until it is done (a set plus \`add_done_callback(set.discard)\`), use an \`asyncio.TaskGroup\`, or hand work that follows the response to \`BackgroundTasks\`.`,
            range: event.range,
            fix,
          });
        }
      }
    }
  },
};

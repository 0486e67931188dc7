import type { CallEvent, FunctionFacts, ModuleFacts } from '../core/facts';
import type { Fix } from '../core/hazard';
import type { Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { spawnsTask } from './catalog/tasks';

/** Why a spawned task is not kept, or undefined when something holds on to it. */
function danglingReason(module: ModuleFacts, fn: FunctionFacts, call: CallEvent): string | undefined {
  switch (call.usage) {
    case 'statement':
      return 'its result is dropped';
    case 'returned':
      return fn.isLambda ? 'the lambda returns it to a caller that drops it' : undefined;
    case 'assigned': {
      const holders = call.boundTo ?? [];
      if (holders.length === 0 || holders.some((holder) => holder.kind !== 'local')) return undefined;
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
    const events = scope.flow.blocks.flatMap((block) => block.events);
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

export const danglingTask: Rule = {
  meta: {
    code: 'IL401',
    name: 'dangling-task',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A task from `create_task`/`ensure_future` is not kept: it can be garbage-collected mid-flight and its errors vanish.',
    languages: ['python'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Finds \`asyncio.create_task\`, \`asyncio.ensure_future\` and \`loop.create_task\` calls whose task
nobody keeps: the call is a bare statement, its result is assigned to \`_\` or to a name that is
never used (or only given a done-callback), or a lambda used as a callback returns it. Tasks
created by a \`TaskGroup\` (\`tg.create_task\`) are kept by the group and are not reported.`,
      whyIsThisBad: `
The event loop keeps only a *weak* reference to a task. A task nobody else references can be
garbage-collected before it finishes — the work silently stops half-way, typically under memory
pressure in production. Its exception is never retrieved either, so a failing background job
shows up at best as "Task exception was never retrieved" in the logs, long after the request
that started it returned 200.`,
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
      ],
      fixSafety: `
The fix binds the task to a name, adds it to a module-level \`background_tasks\` set (created if
the module has none) and registers \`task.add_done_callback(background_tasks.discard)\`. It is
**unsafe**: the task now lives until it finishes, which is the point, but shutdown does not wait
for it and its exception is still unobserved — a \`TaskGroup\`, \`BackgroundTasks\` or a lifespan
that cancels and awaits the set is often the better design.`,
      whenNotToUse: `
When something this rule cannot see keeps the task (a custom registry filled inside the
coroutine itself), suppress with a reason:
\`# interleave: ignore[dangling-task] -- the job registers itself in JOBS\`.`,
    },
  },
  check({ module, fixes, report }) {
    for (const fn of module.functions) {
      for (const block of fn.flow.blocks) {
        for (const event of block.events) {
          if (event.kind !== 'call' || !spawnsTask(event.callee, event.text)) continue;
          const reason = danglingReason(module, fn, event);
          if (!reason) continue;
          const kept = fn.isLambda ? undefined : fixes.keepTaskReference(event, fn);
          const fix: Fix | undefined = kept && {
            applicability: 'unsafe',
            message: `Keep the task in \`${kept.setName}\` until it is done`,
            edits: kept.edits,
          };
          report({
            message: `\`${excerpt(module, event.range)}\` starts a task that nobody keeps (${reason}): the event loop holds only a weak reference, so it can be garbage-collected before it finishes, and its exception is never seen. Keep a reference until it is done (a set plus \`add_done_callback(set.discard)\`), use an \`asyncio.TaskGroup\`, or hand work that follows the response to \`BackgroundTasks\`.`,
            range: event.range,
            fix,
          });
        }
      }
    }
  },
};

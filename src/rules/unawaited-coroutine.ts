import type { FunctionFacts, ModuleFacts } from '../core/facts';
import type { Fix } from '../core/hazard';
import { calleeNamesOf, callsOf } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { isKnownCoroutineCall, TRANSPARENT_DECORATORS } from './catalog/tasks';

/** What other modules need to know: the names this module's coroutine functions are called by. */
interface CoroutineSummary {
  coroutines: string[];
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
  return names;
}

function isSummary(value: unknown): value is CoroutineSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as CoroutineSummary).coroutines);
}

export const unawaitedCoroutine: Rule = {
  meta: {
    code: 'IL403',
    name: 'unawaited-coroutine',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A coroutine function is called as a statement and never awaited: its body never runs.',
    languages: ['python'],
    fix: 'sometimes',
    docs: {
      whatItDoes: `
Finds calls of coroutine functions written as bare statements: \`async def\` functions and
methods of the project (in any module, through imports and module-level instances), nested
\`async def\`s, and well-known library coroutines such as \`asyncio.sleep\`,
\`websocket.send_text\`, \`run_in_threadpool\` and \`httpx.AsyncClient\` requests.`,
      whyIsThisBad: `
Calling a coroutine function only creates a coroutine object; nothing in its body runs until it
is awaited or scheduled. \`notify_user(order)\` on its own line looks like it sends the
notification and does nothing at all — Python prints "coroutine 'notify_user' was never
awaited" to stderr, if anyone reads it. A missing \`await\` on \`websocket.send_text(...)\` means
the client never gets the message; on \`asyncio.sleep(1)\` the back-off never happens.`,
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
      ],
      fixSafety: `
Inside an \`async def\` the fix inserts \`await\`; it is **safe**: it makes the call do what it
says, and the calling coroutine now waits for it. If the work should continue after the response
instead, use \`BackgroundTasks\` or a kept task. In a synchronous function no fix is offered: it
cannot await.`,
      whenNotToUse: `
When a decorator this rule cannot see turns the \`async def\` into a plain function (for example
one that schedules it on a queue), suppress with a reason:
\`# interleave: ignore[unawaited-coroutine] -- @enqueue returns a job id\`.`,
    },
  },
  summarize(module): CoroutineSummary {
    return { coroutines: coroutineNames(module) };
  },
  check({ module, project, fixes, report }) {
    const coroutines = new Set(coroutineNames(module));
    for (const summary of project.summaries?.get('IL403')?.values() ?? []) {
      if (isSummary(summary)) for (const name of summary.coroutines) coroutines.add(name);
    }
    for (const fn of module.functions) {
      const nested = new Set(module.functions.filter((inner) => inner.parent === fn.id && isCoroutineFunction(inner)).map((inner) => inner.name));
      for (const call of callsOf(fn)) {
        if (call.usage !== 'statement') continue;
        const isProjectCoroutine = call.callee !== undefined ? coroutines.has(call.callee) : nested.has(call.text);
        if (!isProjectCoroutine && !isKnownCoroutineCall(call.callee)) continue;
        const canAwait = fn.isAsync && !fn.isLambda;
        const fix: Fix | undefined = canAwait
          ? { applicability: 'safe', message: `Await \`${call.text}(…)\``, edits: fixes.awaitCall(call.range) }
          : undefined;
        const remedy = canAwait
          ? 'Add `await`, or, if it should run after the response, hand it to `BackgroundTasks` or keep it as a task.'
          : `\`${fn.name}\` is not a coroutine, so it cannot await: make it \`async\`, or schedule the coroutine on the running loop and keep the task.`;
        report({
          message: `\`${excerpt(module, call.range)}\` creates a coroutine and drops it: \`${call.callee ?? call.text}\` is a coroutine function, so nothing in it runs until it is awaited (Python only warns "coroutine was never awaited"). ${remedy}`,
          range: call.range,
          fix,
        });
      }
    }
  },
};

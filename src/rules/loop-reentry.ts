import type { CallEvent, FunctionFacts } from '../core/facts';
import { calleeNamesOf, callsOf } from '../core/request-reach';
import { lineOf, type Rule } from '../core/rule';
import { loopRunner, REENTRANT_LOOP_PATCHES } from './catalog/tasks';

interface Caller {
  /** The coroutine the sync code is ultimately called from. */
  coroutine: FunctionFacts;
  /**
   * The last call on the way from the coroutine down to the function, linked to the caller's own:
   * chains share their beginnings, so thousands of chained helpers cost no more than their count.
   */
  via?: { fn: FunctionFacts; call: CallEvent; caller: Caller };
}

/** The calls from the coroutine down to the function, for related information. */
function chainOf(caller: Caller): { fn: FunctionFacts; call: CallEvent }[] {
  const chain: { fn: FunctionFacts; call: CallEvent }[] = [];
  for (let step = caller.via; step; step = step.caller.via) chain.push({ fn: step.fn, call: step.call });
  return chain.reverse();
}

export const loopReentry: Rule = {
  meta: {
    code: 'IL404',
    name: 'loop-reentry',
    family: 'tasks',
    defaultSeverity: 'error',
    summary: '`asyncio.run` or `run_until_complete` inside code that already runs on the event loop: it raises instead of running.',
    languages: ['python'],
    fix: 'none',
    docs: {
      whatItDoes: `
Finds calls that start an event loop — \`asyncio.run\`, \`loop.run_until_complete\`,
\`loop.run_forever\`, \`asyncio.Runner().run\`, \`anyio.run\`, \`trio.run\` — inside an \`async def\`,
or inside a synchronous function of the same module that an \`async def\` calls directly.`,
      whyIsThisBad: `
An \`async def\` handler already runs on the event loop. Starting another loop from the same
thread is not possible: \`asyncio.run\` raises \`RuntimeError: asyncio.run() cannot be called from a
running event loop\` and \`run_until_complete\` raises \`This event loop is already running\`. The
code usually comes from wrapping an async library in a sync helper and then calling that helper
from async code; it works in a script and fails in the server.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import asyncio

from fastapi import FastAPI

app = FastAPI()


async def fetch_price(sku: str) -> float:
    await asyncio.sleep(0.1)
    return 9.99


@app.get("/price/{sku}")
async def price(sku: str) -> dict:
    value = asyncio.run(fetch_price(sku))
    return {"sku": sku, "price": value}
`,
          good: `
import asyncio

from fastapi import FastAPI

app = FastAPI()


async def fetch_price(sku: str) -> float:
    await asyncio.sleep(0.1)
    return 9.99


@app.get("/price/{sku}")
async def price(sku: str) -> dict:
    value = await fetch_price(sku)
    return {"sku": sku, "price": value}
`,
        },
      ],
      fixSafety: `
There is no automatic fix: awaiting instead means making the calling function \`async\` (and its
callers), which changes its signature.`,
      whenNotToUse: `
When the module deliberately patches the loop for re-entry (\`nest_asyncio.apply()\`, which the
rule recognises by the import), or the sync helper only ever runs in a worker thread by a path
Interleave cannot see; suppress with a reason:
\`# interleave: ignore[loop-reentry] -- only called via to_thread\`.`,
    },
  },
  check({ module, report }) {
    if (module.imports.some((fact) => REENTRANT_LOOP_PATCHES.some((patch) => fact.target === patch || fact.target.startsWith(`${patch}.`)))) return;
    const syncByName = new Map<string, FunctionFacts>();
    for (const fn of module.functions) {
      if (!fn.isAsync) for (const name of calleeNamesOf(module, fn)) syncByName.set(name, fn);
    }
    // Sync functions reached from coroutines by direct calls, with the first chain that reaches them.
    const callers = new Map<FunctionFacts, Caller>();
    const queue: { fn: FunctionFacts; caller: Caller }[] = [];
    for (const fn of module.functions) {
      if (fn.isAsync && !fn.isLambda) queue.push({ fn, caller: { coroutine: fn } });
    }
    for (let next = 0; next < queue.length; next++) {
      const { fn, caller } = queue[next]!;
      if (callers.has(fn)) continue;
      callers.set(fn, caller);
      for (const call of callsOf(fn)) {
        const callee = call.callee ? syncByName.get(call.callee) : undefined;
        if (callee && !callers.has(callee)) queue.push({ fn: callee, caller: { coroutine: caller.coroutine, via: { fn, call, caller } } });
      }
    }
    for (const [fn, caller] of callers) {
      for (const call of callsOf(fn)) {
        const runner = loopRunner(call.callee, call.text);
        if (!runner) continue;
        const chain = chainOf(caller);
        const where =
          chain.length === 0
            ? `inside \`async def ${fn.name}\``
            : `in \`${fn.name}\`, which \`async def ${caller.coroutine.name}\` calls on the event loop (line ${lineOf(chain[0]!.call.range)})`;
        report({
          message: `\`${runner}\` ${where} tries to start an event loop while one is already running in this thread: it raises \`RuntimeError\` instead of running the coroutine. Await the coroutine instead (making the caller \`async\`), or run the sync code in a thread with \`asyncio.to_thread\`.`,
          range: call.range,
          related: chain.map(({ fn: from, call: via }) => ({ path: module.path, range: via.range, message: `\`${from.name}\` calls \`${via.text}\` on the event loop` })),
        });
      }
    }
  },
};

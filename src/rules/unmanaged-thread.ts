import type { CallEvent, FunctionFacts } from '../core/facts';
import { callsOf, requestReach } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { runsOncePerProcess, THREAD_STARTS } from './catalog/tasks';

/** The started thread is joined, stored in shared state, or handed to other code: someone manages it. */
function isManaged(fn: FunctionFacts, start: CallEvent): boolean {
  const receiver = start.receiver;
  if (!receiver) return false;
  if (receiver.kind !== 'local') return true;
  const name = receiver.key;
  for (const block of fn.flow.blocks) {
    for (const event of block.events) {
      if (event.kind === 'call' && event.receiver?.key === name && event.text.endsWith('.join')) return true;
      if (event.kind === 'call' && event.arguments?.some((argument) => argument.key === name)) return true;
      if (event.kind === 'write' && event.value.locals.includes(name)) return true;
    }
  }
  return false;
}

export const unmanagedThread: Rule = {
  meta: {
    code: 'IL402',
    name: 'unmanaged-thread',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A request handler starts a `threading.Thread` or `multiprocessing.Process` that nothing joins, tracks or bounds.',
    languages: ['python'],
    fix: 'none',
    docs: {
      whatItDoes: `
Finds \`threading.Thread(...).start()\`, \`threading.Timer(...).start()\` and
\`multiprocessing.Process(...).start()\` in request handlers, dependencies and background tasks
(and the functions of the same module they call), when the thread or process is not joined,
stored in shared state, or handed to other code that could manage it.`,
      whyIsThisBad: `
Each request starts one more thread (or process) that the server knows nothing about: there is
no bound on how many run at once, so a burst of requests becomes a burst of threads; nothing
waits for them at shutdown, so work is cut off mid-way on every deploy; and an exception in the
thread is printed to stderr and lost — the request that started it already returned success. A
process started per request also copies the whole worker.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import threading

from fastapi import FastAPI

app = FastAPI()


def render_report(report_id: int) -> None:
    ...


@app.post("/reports/{report_id}")
async def create_report(report_id: int) -> dict:
    threading.Thread(target=render_report, args=(report_id,)).start()
    return {"queued": report_id}
`,
          good: `
from fastapi import BackgroundTasks, FastAPI

app = FastAPI()


def render_report(report_id: int) -> None:
    ...


@app.post("/reports/{report_id}")
async def create_report(report_id: int, background: BackgroundTasks) -> dict:
    background.add_task(render_report, report_id)
    return {"queued": report_id}
`,
        },
      ],
      fixSafety: `
There is no automatic fix. Use \`BackgroundTasks\` for work after the response (sync functions run
in the threadpool), \`await asyncio.to_thread(...)\` / \`run_in_threadpool\` when the request should
wait, or a bounded executor or task queue created in the lifespan for long jobs.`,
      whenNotToUse: `
When the thread is managed by code this rule cannot see (it registers itself in a registry that
a lifespan joins at shutdown), suppress with a reason:
\`# interleave: ignore[unmanaged-thread] -- joined by the lifespan via WORKERS\`.`,
    },
  },
  check({ module, report }) {
    for (const [fn, handler] of requestReach(module, runsOncePerProcess)) {
      for (const call of callsOf(fn)) {
        const kind = call.callee ? THREAD_STARTS.get(call.callee) : undefined;
        if (!kind || isManaged(fn, call)) continue;
        const where = fn === handler ? `handler \`${fn.name}\`` : `\`${fn.name}\`, which handler \`${handler.name}\` calls`;
        const [what, many] = kind.startsWith('multiprocessing') ? ['process', 'processes'] : ['thread', 'threads'];
        report({
          message: `\`${excerpt(module, call.range)}\` in ${where} starts a ${what} per request that nothing joins, tracks or bounds: a burst of requests becomes a burst of ${many}, shutdown cuts them off, and their exceptions are lost. Use \`BackgroundTasks\`, \`await asyncio.to_thread(...)\`, or a bounded executor or job queue owned by the lifespan.`,
          range: call.range,
          related: fn === handler ? [] : [{ path: module.path, range: handler.nameRange, message: `handler \`${handler.name}\` runs it per request` }],
        });
      }
    }
  },
};

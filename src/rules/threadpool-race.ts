import { analyzeRaces } from '../core/race-analysis';
import type { FunctionFacts } from '../core/facts';
import type { Rule } from '../core/rule';
import { line, lockFix, overlapOf, reachedBy, type Overlap } from './race-reporting';
import { storyStep } from './story-steps';

export const threadpoolRace: Rule = {
  meta: {
    code: 'IL102',
    name: 'threadpool-race',
    family: 'race',
    defaultSeverity: 'warning',
    summary: 'A sync handler or dependency, run in the threadpool, does a read-modify-write of shared state without a threading lock.',
    languages: ['python'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Checks the sync (\`def\`, not \`async def\`) endpoints, dependencies and background tasks that
FastAPI and Starlette run in their threadpool for a write to shared state computed from a read of
the same state — \`COUNT += 1\`, \`HITS[path] = HITS.get(path, 0) + 1\` — with no
\`threading.Lock\` held around both.`,
      whyIsThisBad: `
A sync handler does not run on the event loop: the framework runs it in a worker thread, up to
forty at a time. Threads can be preempted between any two bytecodes, so \`COUNT += 1\` (load, add,
store) from two requests can interleave and lose an increment. Unlike coroutines, there is no
\`await\` to look for: every read-modify-write is exposed.

Plain stores (\`LAST_SEEN[user] = now\`) and single method calls (\`EVENTS.append(e)\`) are
atomic under the GIL and stay silent.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
from fastapi import FastAPI

app = FastAPI()
page_views: dict[str, int] = {}


@app.get("/pages/{name}")
def view_page(name: str) -> dict:
    page_views[name] = page_views.get(name, 0) + 1
    return {"views": page_views[name]}
`,
          good: `
import threading

from fastapi import FastAPI

app = FastAPI()
page_views: dict[str, int] = {}
page_views_lock = threading.Lock()


@app.get("/pages/{name}")
def view_page(name: str) -> dict:
    with page_views_lock:
        page_views[name] = page_views.get(name, 0) + 1
        views = page_views[name]
    return {"views": views}
`,
        },
      ],
      fixSafety: `
The fix wraps the statements from the read to the write in \`with <lock>:\`, defining a
module-level \`threading.Lock()\` if the module has none for this state. It is **unsafe**: it
changes how requests are scheduled, and a lock taken in a different order elsewhere can deadlock.
Declaring the handler \`async def\` also removes the race when the update contains no \`await\`
— but only if nothing in it blocks.`,
      whenNotToUse: `
When an external lock or a single-threaded deployment guarantees one caller at a time, suppress
with a reason: \`# interleave: ignore[threadpool-race] -- serialised by the queue consumer\`.`,
    },
  },
  check(context) {
    const { module, fixes, report } = context;
    for (const fn of module.functions) {
      if (fn.isAsync) continue;
      for (const { read, write } of analyzeRaces(fn, 'threads').threadRaces) {
        const overlap = overlapOf(context, fn, 'threads', write.state.key);
        if (!overlap) continue;
        const state = write.state.text;
        const where = read.range.start.line === write.range.start.line ? `read and written from that read on ${line(write.range)}` : `read at ${line(read.range)} and written from that read at ${line(write.range)}`;
        report({
          message: `\`${state}\` is ${where} in \`def ${fn.name}\`, which ${threadsRunning(fn, overlap)}: two threads can interleave between the read and the write and lose an update. Hold a \`threading.Lock\` around both, or make the handler \`async def\` if nothing in it blocks.${reachedBy(overlap)}`,
          range: write.range,
          related: read.range.start.line === write.range.start.line ? [] : [{ path: module.path, range: read.range, message: `\`${read.state.text}\` read here` }],
          fix: lockFix(fixes, read.statement, write.statement, 'threading', write.state.root),
          story: {
            kind: 'thread-race',
            state,
            read: storyStep(module, read.range, read.statement),
            write: storyStep(module, write.range, write.statement),
          },
        });
      }
    }
  },
};

/** Who runs the function on several threads at once, for the message. */
function threadsRunning(fn: FunctionFacts, overlap: Overlap): string {
  if (fn.execution === 'threadpool') return `${fn.framework === 'starlette' ? 'Starlette' : 'FastAPI'} runs in its threadpool`;
  return overlap.witness?.kind === 'worker-thread' ? 'runs on worker threads' : 'runs in the threadpool';
}

import { analyzeRaces, mayMemoise } from '../core/race-analysis';
import type { FunctionFacts } from '../core/facts';
import type { Rule } from '../core/rule';
import { line, liveValueOf, lockFix, overlapOf, reachedBy, type Overlap } from './race-reporting';
import { storyStep } from './story-steps';

export const threadpoolRace: Rule = {
  meta: {
    code: 'IL102',
    name: 'threadpool-race',
    family: 'race',
    defaultSeverity: 'warning',
    summary: 'A sync handler or dependency, run in the threadpool, does a read-modify-write of shared state without a threading lock.',
    languages: ['python'],
    preview: true,
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Checks the sync (\`def\`, not \`async def\`) code that FastAPI and Starlette run in their
threadpool — endpoints, dependencies, \`BackgroundTasks\`, \`run_in_threadpool\` and
\`to_thread\` targets, and the sync helpers they call, as the execution-context model places them —
for two shapes with no \`threading.Lock\` held around them:

- a write to shared state computed from a read of the same state: \`COUNT += 1\`,
  \`HITS[path] = HITS.get(path, 0) + 1\`;
- with \`preview = true\`, a write relying on a test of the same state: \`if RUNNING: raise …\`
  then \`RUNNING = True\`, a client created when the test found none (\`if k not in CLIENTS:
  CLIENTS[k] = Client()\`), a rebuild replacing what the test found. On public apps no one here
  wrote, of 14 such findings judged 7 were wrong and 7 of little value: lazy clients the lifespan
  creates before any request, flags of a single background job, idempotent refills.`,
      whyIsThisBad: `
A sync handler does not run on the event loop: the framework runs it in a worker thread, up to
forty at a time. Threads can be preempted between any two bytecodes, so \`COUNT += 1\` (load, add,
store) from two requests can interleave and lose an increment, and two threads can both pass a
test before either writes: two jobs start, two clients are made and one is never closed. Unlike
coroutines, there is no \`await\` to look for: every read-modify-write and check-then-act is
exposed.

Plain stores (\`LAST_SEEN[user] = now\`), single method calls (\`EVENTS.append(e)\`) and memos of
data (\`if k not in LABELS: LABELS[k] = compute(k)\`, where two threads at worst compute the same
value) stay silent.`,
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
with a reason: \`# interleave: ignore[threadpool-race] -- serialised by the queue consumer\`.

Preview (off unless selected or with \`preview = true\`): on the real-code evaluation neither judged
finding was worth fixing (state per request or never read) and it found none of the 3 labelled
hazards.`,
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
      // Check-then-act on threads is preview: on real code it was mostly lazy setup done at startup or idempotent.
      for (const { check, branch, write, fill } of context.config.preview ? analyzeRaces(fn, 'threads').threadDecisions : []) {
        const live = fill ? liveValueOf(fn, write) : undefined;
        if (fill && !live && mayMemoise(fn)) continue;
        const overlap = overlapOf(context, fn, 'threads', write.state.key);
        if (!overlap) continue;
        const tested = check.state.text;
        const outcome = live
          ? `threads that arrive before the first one finishes all pass the test and each make their own \`${live.text}()\`, and all but the last are dropped without being closed`
          : `another thread can pass the same test before this one writes, and both act on it`;
        report({
          message: `The test at ${line(branch.range)} reads \`${tested}\` and ${line(write.range)} writes \`${write.state.text}\` relying on it, in \`def ${fn.name}\`, which ${threadsRunning(fn, overlap)}: ${outcome}. Hold a \`threading.Lock\` across the test and the write.${reachedBy(overlap)}`,
          range: write.range,
          related: [{ path: module.path, range: branch.range, message: `tests \`${tested}\` here` }],
          fix: lockFix(fixes, check.statement, write.statement, 'threading', write.state.root),
          story: {
            kind: 'thread-race',
            state: tested,
            read: storyStep(module, branch.range, branch.statement),
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

import { reachedFrom } from '../core/contexts/describe';
import type { CallEvent, FunctionFacts } from '../core/facts';
import type { Fix } from '../core/hazard';
import type { Rule, RuleContext } from '../core/rule';
import { callCatalogs } from './blocking/call-catalogs';
import {
  describeFunction,
  followerLocations,
  followerSentence,
  loopPlacement,
  loopSeverity,
  matchGroups,
  phaseAt,
  stallConsequence,
  type LoopPlacement,
  type MatchGroup,
} from './blocking/loop-calls';
import { makeSyncFix, misplacedOffload, offloadFix } from './blocking/offload-fix';
import { storyStep } from './story-steps';

export const blockingCall: Rule = {
  meta: {
    code: 'IL201',
    name: 'blocking-call',
    family: 'blocking',
    defaultSeverity: 'warning',
    summary: 'A blocking call (sleep, sync HTTP, file, subprocess, database, socket…) runs on the event loop and stalls every request the worker serves.',
    languages: ['python', 'typescript'],
    fix: 'sometimes',
    docs: {
      whatItDoes: `
Checks coroutines — and anything else the framework runs on the event loop — for calls that wait
on something outside the process: \`time.sleep\`, sync HTTP clients (\`requests\`, \`httpx.Client\`,
\`urllib\`, \`urllib3\`), subprocesses, \`open()\` and file objects, \`os\`/\`shutil\`/\`pathlib\`
file-system calls, \`input()\`, sockets and DNS lookups, mail/FTP/SSH clients, sync database drivers
(\`sqlite3\`, \`psycopg2\`/\`psycopg\`, \`pymysql\`, \`pymongo\`, \`redis\`, sync SQLAlchemy sessions
and engines), \`boto3\` clients and resources, and the calls listed in the \`blocking-calls\`
setting. The catalog is the union of Ruff's and flake8-async's ASYNC2xx rules, Sonar's S7487–S7501
and blockbuster's list, extended to database, cloud and network clients.

Calls are recognised through import aliases (\`from time import sleep as pause\`), module-level
instances (\`http = requests.Session()\`), annotated parameters (\`db: Session = Depends(get_db)\`),
\`with open(...) as fh\` → \`fh.read()\`, \`Path(...)\` values and attributes set in \`__init__\`.
Reads on a file the same code just opened are reported with the \`open()\`, not on their own.

In TypeScript and JavaScript every request handler — sync or async, since Node runs them all on
one thread — every async function, and the callbacks they and the event loop run (\`.map\`
callbacks, timers, listeners) are checked for Node's synchronous APIs: \`fs.*Sync\`,
\`child_process.*Sync\`, \`zlib.*Sync\`, \`crypto\`'s sync key derivation and key generation,
\`Atomics.wait\`, native \`bcrypt\`'s \`hashSync\`/\`compareSync\`, \`better-sqlite3\` and \`node:sqlite\`
queries, and the sync helpers of \`fs-extra\`, \`glob\`, \`execa\` and \`shelljs\`. Module top-level code
runs once at startup and is not reported.`,
      whyIsThisBad: `
An async server runs every request of a worker on one thread. A coroutine only lets others run
when it awaits; a blocking call never awaits, so while it waits for the network, the disk or a
timer, no other request makes progress — not even health checks. Under load a single
\`requests.get\` with a slow upstream turns into seconds of latency for everyone.

Not reported: calls inside a nested \`def\` or \`lambda\` (they run where they are called, typically
in \`asyncio.to_thread\`), functions handed by reference to \`asyncio.to_thread\`,
\`loop.run_in_executor\`, \`run_in_threadpool\`, \`anyio.to_thread.run_sync\` or
\`BackgroundTasks.add_task\`, sync \`def\` FastAPI/Starlette handlers and dependencies (the framework
runs them in a threadpool), and import-time code. In lifespans and startup/shutdown hooks the
finding is informational: nothing is being served yet.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/rates")
async def rates():
    response = requests.get("https://rates.example/eur")
    return response.json()
`,
          good: `
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/rates")
async def rates(request: Request):
    response = await request.app.state.http.get("https://rates.example/eur")
    return response.json()
`,
        },
        {
          language: 'python',
          framework: 'asyncio',
          bad: `
import time


async def poll(job):
    while not job.done():
        time.sleep(0.5)
`,
          good: `
import asyncio


async def poll(job):
    while not job.done():
        await asyncio.sleep(0.5)
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import { readFileSync } from 'node:fs';
import express from 'express';

const app = express();

app.get('/reports/:id', async (req, res) => {
  const report = readFileSync(\`reports/\${req.params.id}.json\`, 'utf8');
  res.type('json').send(report);
});
`,
          good: `
import { readFile } from 'node:fs/promises';
import express from 'express';

const app = express();

app.get('/reports/:id', async (req, res) => {
  const report = await readFile(\`reports/\${req.params.id}.json\`, 'utf8');
  res.type('json').send(report);
});
`,
        },
      ],
      fixSafety: `
\`time.sleep(x)\` becomes \`await asyncio.sleep(x)\` (adding \`import asyncio\`): a **safe** fix — the
same wait, without holding the loop. Other requests now run during the sleep, which is the point;
Interleave's race rules check the new suspension point like any other.

Other calls are wrapped as \`await run_in_threadpool(f, *args)\` in FastAPI and Starlette code and
\`await asyncio.to_thread(f, *args)\` elsewhere; an \`async def\` endpoint or dependency that never
awaits is instead turned into a plain \`def\`, which the framework runs in its threadpool. Both are
**unsafe**: the code then runs on another thread, concurrently with the loop, so unsynchronised
shared state it touches can race (see IL102), and callers that \`await\` a function made sync break.
For \`requests\`, the better change is usually a shared \`httpx.AsyncClient\`.

In TypeScript, a \`fs\` sync call in an async function becomes its \`fs/promises\` twin with the same
arguments (\`readFileSync(p)\` → \`await readFile(p)\`, importing it): **safe**. Other calls get no fix.`,
      whenNotToUse: `
When the call is known to return at once — a file on a RAM disk read once, a local socket that
never blocks — suppress it on that line with a reason: \`# interleave: ignore[blocking-call] -- tmpfs\`.
To teach Interleave your own blocking calls, list them in \`blocking-calls\`; to teach it a helper
that runs its argument off the loop, list it in \`offload-wrappers\`.`,
    },
  },
  check(context) {
    const { blocking } = callCatalogs(context.config);
    for (const fn of context.module.functions) {
      const placement = loopPlacement(context, fn);
      if (placement) for (const group of matchGroups(fn, blocking)) report(context, fn, placement, group);
    }
  },
};

function report(context: RuleContext, fn: FunctionFacts, placement: LoopPlacement, group: MatchGroup): void {
  const { module } = context;
  const { call, entry } = group.first;
  const misplaced = misplacedOffload(context, call);
  const phase = phaseAt(fn, placement, call.range);
  context.report({
    message: `\`${call.text}()\` in ${describeFunction(fn, module.language)}${reachedFrom(placement.witness)} ${entry.does}: ${stallConsequence(phase)}. ${misplaced?.advice ?? `Instead, ${entry.suggestion}.`}${followerSentence(group)}`,
    range: call.range,
    severity: loopSeverity(phase),
    related: followerLocations(module.path, group),
    fix: misplaced ? misplaced.fix : fixFor(context, fn, group),
    story: { kind: 'blocking-call', call: storyStep(module, call.range, call.statement), chain: [], does: entry.does },
  });
}

/** Where `await f(…)` can stand in for a call without parentheses of its own. */
const AWAITABLE_USAGES = new Set<CallEvent['usage']>(['statement', 'assigned', 'returned', 'argument']);

function fixFor(context: RuleContext, fn: FunctionFacts, group: MatchGroup): Fix | undefined {
  const { module, fixes } = context;
  const { call, entry } = group.first;
  if (entry.awaitableEquivalent && AWAITABLE_USAGES.has(call.usage)) {
    const edits = fixes.awaitInstead(call, entry.awaitableEquivalent);
    if (edits) {
      const { module: from, name } = entry.awaitableEquivalent;
      const replacement = module.language === 'python' ? `\`await ${from}.${name}(…)\`` : `\`await ${name}(…)\` from \`${from}\``;
      return { applicability: 'safe', message: `Replace with ${replacement}`, edits };
    }
  }
  return makeSyncFix(module, fixes, fn) ?? (group.followers.length === 0 ? offloadFix(module, fixes, call) : undefined);
}

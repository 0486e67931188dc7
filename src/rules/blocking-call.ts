import { reachedFrom } from '../core/contexts/describe';
import type { FunctionFacts } from '../core/facts';
import type { Fix } from '../core/hazard';
import { lineOf, type Rule, type RuleContext } from '../core/rule';
import { callCatalogs } from './blocking/call-catalogs';
import {
  describeFunction,
  followerLocations,
  followerSentence,
  loopSeverity,
  matchGroups,
  phaseAt,
  waitingPlacement,
  stallConsequence,
  type LoopPlacement,
  type MatchGroup,
} from './blocking/loop-calls';
import { misplacedOffload, remedyFor } from './blocking/offload-fix';
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
(\`sqlite3\`, \`psycopg2\`/\`psycopg\`, \`pymysql\`, \`pymongo\`, \`redis\`, sync SQLAlchemy sessions,
engines and inspectors), cloud SDKs (\`boto3\`/\`botocore\`, \`google-cloud-*\`, Azure storage), the
synchronous clients of web APIs (\`stripe\`, \`openai.OpenAI\`, \`anthropic.Anthropic\`,
\`slack_sdk.WebClient\`, \`twilio\`, \`sendgrid\`, \`resend\`, \`pywebpush\`, Google token
verification and other \`requests\`-based SDKs — each with its asynchronous alternative), and the
calls listed in the \`blocking-calls\` setting. The catalog is the union of Ruff's and
flake8-async's ASYNC2xx rules, Sonar's S7487–S7501 and blockbuster's list, extended to database,
cloud and network clients.

A function's blocking calls are one finding, at the first of them, with every other call listed as
related information: the remedy — an async client, or the whole function off the loop — is one
change. Calls of a lifespan before and after its \`yield\` are two findings, one for startup and one
for shutdown. A function whose only blocking calls ask for file metadata (\`os.path.exists\`,
\`Path.is_file()\`, \`os.stat\`) is reported only with \`preview = true\`, as information: the
operating system usually answers those from its cache, and they wait for long only on a slow or
network file system. On the real-code evaluation all four such findings judged were of little value.

Calls are recognised through import aliases (\`from time import sleep as pause\`), module-level
instances (\`http = requests.Session()\`), annotated parameters (\`db: Session = Depends(get_db)\`),
\`with open(...) as fh\` → \`fh.read()\`, \`Path(...)\` values, attributes set in \`__init__\`, and
a path a function assigned first (\`request.state.db = SessionLocal()\`, then \`request.state.db.commit()\`).
Pydantic validators of a model a FastAPI route takes as a parameter run on the loop while the
request is parsed, whatever the route is, and are checked too (as IL203 describes).

In TypeScript and JavaScript every request handler — sync or async, since Node runs them all on
one thread — every async function, and the callbacks they and the event loop run (\`.map\`
callbacks, timers, listeners) are checked for Node's synchronous I/O: \`fs.*Sync\`,
\`child_process.*Sync\`, \`Atomics.wait\`, \`better-sqlite3\` and \`node:sqlite\` queries, and the sync
helpers of \`fs-extra\`, \`glob\`, \`execa\` and \`shelljs\`. The CPU-heavy sync APIs (\`crypto.scryptSync\`,
\`zlib.gzipSync\`, \`bcrypt.compareSync\`) are IL203's. Module top-level code runs once at startup
and is not reported.`,
      whyIsThisBad: `
An async server runs every request of a worker on one thread. A coroutine only lets others run
when it awaits; a blocking call never awaits, so while it waits for the network, the disk or a
timer, no other request makes progress — not even health checks. Under load a single
\`requests.get\` with a slow upstream turns into seconds of latency for everyone.

Not reported: calls that touch no file system (\`os.path.join\`, \`abspath\`, \`expanduser\`,
\`Path.home()\`, \`Path.absolute()\` and the pure-path methods — Ruff's ASYNC240 flags some of these),
readers, parsers and archives over an in-memory buffer (\`zipfile.ZipFile(io.BytesIO(data))\`,
\`json.load(io.StringIO(text))\`), a literal pause under 10 ms (\`time.sleep(0.001)\`, a deliberate
yield that holds no one up; Ruff's ASYNC251 flags it), calls inside a nested \`def\` or \`lambda\` (they run where they are
called, typically in \`asyncio.to_thread\`), functions handed by reference to \`asyncio.to_thread\`,
\`loop.run_in_executor\`, \`run_in_threadpool\`, \`anyio.to_thread.run_sync\` or
\`BackgroundTasks.add_task\`, sync \`def\` FastAPI/Starlette handlers and dependencies (the framework
runs them in a threadpool), and import-time code. Lifespans and startup/shutdown hooks serve no
request: their blocking calls are reported only with \`preview = true\`, as information (judged
noise on real code: they delay startup, and no client waits).

In TypeScript, an async function no entry point is known to reach (called only through a
global application object, say \`WIKI.servers.startHTTPS()\`) is reported only with
\`preview = true\`: on real code such functions were mostly startup and configuration code.`,
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
When every call of the finding has a coroutine twin — \`time.sleep(x)\` → \`await asyncio.sleep(x)\`
(adding \`import asyncio\`), in TypeScript an \`fs\` sync call → its \`fs/promises\` twin with the same
arguments (\`readFileSync(p)\` → \`await readFile(p)\`, importing it) — the fix replaces each: a
**safe** fix, the same waits without holding the loop. Other requests now run during them, which is
the point; Interleave's race rules check the new suspension points like any other.

Otherwise an \`async def\` endpoint or dependency that never awaits is turned into a plain \`def\`,
which FastAPI and Starlette run in their threadpool; and a single call is wrapped as
\`await run_in_threadpool(f, *args)\` in FastAPI and Starlette code and
\`await asyncio.to_thread(f, *args)\` elsewhere. Both are **unsafe**: the code then runs on another
thread, concurrently with the loop, so unsynchronised shared state it touches can race (see IL102),
and callers that \`await\` a function made sync break. The message always says what the fix does,
next to the asynchronous alternative (\`httpx.AsyncClient\` for \`requests\`, \`aiofiles\` for files),
which is usually the better change. Several calls with no such fix get none: move them together into
a plain function and run that in a worker thread.`,
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
      const placement = waitingPlacement(context, fn);
      if (!placement) continue;
      const runs = new Map<LoopPlacement['phase'], MatchGroup[]>();
      for (const group of matchGroups(fn, blocking)) {
        const misplaced = misplacedOffload(context, group.first.call);
        if (misplaced) {
          reportMisplaced(context, fn, placement, group, misplaced);
          continue;
        }
        const phase = phaseAt(fn, placement, group.first.call.range);
        runs.set(phase, [...(runs.get(phase) ?? []), group]);
      }
      for (const [phase, groups] of runs) reportRun(context, fn, placement, phase, groups);
    }
  },
};

/** What metadata lookups cost the loop: usually nothing, sometimes a stall. */
const QUICK_CONSEQUENCE =
  "the operating system usually answers from its cache at once, but on a slow or network file system the event loop — and every other request this worker is serving — waits";

/** How many of a run's other calls a message names; the related locations list them all. */
const NAMED_IN_MESSAGE = 4;

/**
 * One finding for the blocking calls a function makes in one phase (serving, or a lifespan's
 * startup or shutdown): at the first, with the others as related locations, and one remedy for all.
 */
function reportRun(context: RuleContext, fn: FunctionFacts, placement: LoopPlacement, phase: LoopPlacement['phase'], groups: readonly MatchGroup[]): void {
  const { module } = context;
  const [first, ...others] = groups;
  const { call, entry } = first!.first;
  const where = `${describeFunction(fn, module.language)}${reachedFrom(placement.witness)}`;
  const { fix, advice } = remedyFor(context, fn, groups);
  const quick = groups.every(onlyQuickCalls);
  // Metadata lookups alone were judged of little value on real code every time: preview, as information.
  if (quick && !context.config.preview) return;
  const consequence = quick && !phase ? QUICK_CONSEQUENCE : stallConsequence(phase, others.length > 0);
  let message: string;
  if (others.length === 0) {
    message = `\`${call.text}()\` in ${where} ${entry.does}: ${consequence}. ${advice}${followerSentence(first!)}`;
  } else {
    const named = others.slice(0, NAMED_IN_MESSAGE).map(({ first: { call: other } }) => `\`${other.text}()\` (line ${lineOf(other.range)})`);
    const more = others.length > NAMED_IN_MESSAGE ? `, and ${others.length - NAMED_IN_MESSAGE} more` : '';
    message = `\`${call.text}()\` in ${where} ${entry.does}, and so ${others.length === 1 ? 'does' : 'do'} ${joinList(named)}${more}: ${consequence}. ${advice}`;
  }
  context.report({
    message,
    range: call.range,
    severity: loopSeverity(phase) ?? (quick ? 'info' : undefined),
    related: [
      ...followerLocations(module.path, first!),
      ...others.flatMap((group) => [
        { path: module.path, range: group.first.call.range, message: `\`${group.first.call.text}()\` ${group.first.entry.does}` },
        ...followerLocations(module.path, group),
      ]),
    ],
    fix,
    story: { kind: 'blocking-call', call: storyStep(module, call.range, call.statement), chain: [], does: entry.does },
  });
}

function reportMisplaced(context: RuleContext, fn: FunctionFacts, placement: LoopPlacement, group: MatchGroup, misplaced: { advice: string; fix?: Fix }): void {
  const { module } = context;
  const { call, entry } = group.first;
  const phase = phaseAt(fn, placement, call.range);
  context.report({
    message: `\`${call.text}()\` in ${describeFunction(fn, module.language)}${reachedFrom(placement.witness)} ${entry.does}: ${stallConsequence(phase)}. ${misplaced.advice}`,
    range: call.range,
    severity: loopSeverity(phase),
    related: followerLocations(module.path, group),
    fix: misplaced.fix,
    story: { kind: 'blocking-call', call: storyStep(module, call.range, call.statement), chain: [], does: entry.does },
  });
}

/** A group of metadata lookups (`os.path.exists`, `Path.is_file`) that rarely wait for long. */
function onlyQuickCalls(group: MatchGroup): boolean {
  return [group.first, ...group.followers].every(({ entry }) => entry.quick);
}

/** `a`, `a and b`, `a, b and c`. */
function joinList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

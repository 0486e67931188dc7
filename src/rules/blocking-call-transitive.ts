import type { Rule } from '../core/rule';
import { callCatalogs } from './blocking/call-catalogs';
import { ProjectCallGraph } from './blocking/call-graph';
import { BLOCKING_CHAINS, reportStallingChains } from './blocking/chain-findings';
import { waitingPlacement } from './blocking/loop-calls';

export const blockingCallTransitive: Rule = {
  meta: {
    code: 'IL202',
    name: 'blocking-call-transitive',
    family: 'blocking',
    defaultSeverity: 'warning',
    summary: 'Async code calls a sync function that — directly or through other functions, in any module — makes a blocking call.',
    languages: ['python', 'typescript'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Follows the calls a coroutine makes into the project's own sync functions and methods — in the
same module or imported from others, through re-exports, module-level instances
(\`mailer = Mailer()\`), the types of attributes, parameters and properties (\`self.mailer.send()\`
where \`mailer: Mailer\`) and return annotations (\`user = await repo.get(id)\` then
\`user.check_password(pw)\`), any number of calls deep and safe against recursion — and reports
the call in the async code when the chain ends in a call IL201 would report (its catalog plus the
\`blocking-calls\` setting), other than a file-metadata lookup (\`os.path.exists\`, \`statSync\`),
which rarely waits deep in a helper, and a small file the code names with a literal file name
(\`open(os.path.join(PROMPTS, name + ".txt"))\`, \`readFileSync(path.join(__dirname, 'site.json'))\`) when its path
takes no parameter or only ones the call passes as literals (\`get_prompt("scrape")\`): a prompt,
settings or template file comes from the page cache in microseconds. A path with no literal file
name (\`open(VOCAB_PATH)\`), one the request picks, or one with a data file's name (\`.csv\`,
\`.pkl\`, \`.jpg\`) stays reported. The chain is shown step by step as related information, ending in
"may block: \`smtplib.SMTP()\`" at the line that blocks. A chain that ends in CPU-heavy work (a
password hash two calls deep) is IL203's, reported the same way. A singleton built
lazily (\`if _client is None: _client = Client()\`) or by an \`@lru_cache\` getter is built once
per worker, and its constructor is not followed.

It also reports blocking calls on module-level instances imported from another module
(\`from app.clients import http\` then \`http.get(url)\`, where \`http = requests.Session()\`).

In TypeScript and JavaScript the chain runs through functions, methods, object-literal methods
(\`passwords.hash()\`) and named helpers nested in a handler, across modules joined by relative
imports (and \`tsconfig\` paths when there is a project), from every request handler and async
function; \`await\`ed calls are promises and are not followed.

In TypeScript, an async function no entry point is known to reach (called only through a
global application object, say \`WIKI.servers.startHTTPS()\`) is reported only with
\`preview = true\`: on real code such functions were mostly startup and configuration code.`,
      whyIsThisBad: `
Wrapping a blocking call in a helper does not make it asynchronous: when a coroutine calls
\`send_receipt()\`, and \`send_receipt\` opens an SMTP connection, the event loop waits for the mail
server exactly as if the coroutine had called \`smtplib.SMTP\` itself. Linters that look only at
the coroutine's own body miss this — and it is the usual shape in real code, where the blocking
call sits in a service module written before the app went async.

Not followed: functions handed by reference to \`asyncio.to_thread\`, \`run_in_threadpool\`,
\`BackgroundTasks.add_task\` and the like; functions decorated with an offload wrapper
(\`@sync_to_async\`, \`@asyncify\`, or one listed in \`offload-wrappers\`); coroutine functions
(IL201 checks their bodies); and cached functions without parameters (\`@lru_cache\`), whose body
runs once per process.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import smtplib

from fastapi import FastAPI

app = FastAPI()


def send_receipt(address: str) -> None:
    with smtplib.SMTP("mail.internal") as server:
        server.sendmail("shop@example.com", [address], "Thanks for your order")


@app.post("/orders")
async def create_order(address: str):
    send_receipt(address)
    return {"status": "created"}
`,
          good: `
import smtplib

from fastapi import BackgroundTasks, FastAPI

app = FastAPI()


def send_receipt(address: str) -> None:
    with smtplib.SMTP("mail.internal") as server:
        server.sendmail("shop@example.com", [address], "Thanks for your order")


@app.post("/orders")
async def create_order(address: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_receipt, address)
    return {"status": "created"}
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import { execSync } from 'node:child_process';
import express from 'express';

const app = express();

function currentVersion(): string {
  return execSync('git rev-parse HEAD').toString().trim();
}

app.get('/version', async (req, res) => {
  res.send(currentVersion());
});
`,
          good: `
import { execSync } from 'node:child_process';
import express from 'express';

const app = express();
const version = execSync('git rev-parse HEAD').toString().trim();

app.get('/version', async (req, res) => {
  res.send(version);
});
`,
        },
      ],
      fixSafety: `
The fix runs the call in a worker thread — \`await run_in_threadpool(f, *args)\` in FastAPI and
Starlette code, \`await asyncio.to_thread(f, *args)\` elsewhere — or, for an \`async def\` endpoint or
dependency that never awaits, turns it into a plain \`def\` that the framework runs in its
threadpool. It is **unsafe**: the helper then runs concurrently with the event loop, so shared state
it touches without a lock can race. Often better: make the helper itself async, or move the work to
a background task. TypeScript gets no fix: make the helper async (\`fs/promises\`), compute the value
once at startup, or move the work to a \`worker_threads\` worker.`,
      whenNotToUse: `
When the helper only blocks on a path the async caller never takes (a flag, a cache hit), suppress
the finding at the call with a reason: \`# interleave: ignore[blocking-call-transitive] -- cached\`.
Across files the rule sees the modules of one analysis run; a module outside it is not followed.`,
    },
  },
  check(context) {
    const { blocking, offloadWrappers } = callCatalogs(context.config);
    reportStallingChains(context, new ProjectCallGraph(context.project, context.module, blocking, offloadWrappers), BLOCKING_CHAINS, { placed: waitingPlacement });
  },
};

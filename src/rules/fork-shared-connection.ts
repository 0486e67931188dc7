import { basename } from 'node:path';
import type { PreloadSetting } from '../core/deployment-facts';
import type { CallEvent, ModuleFacts, Range } from '../core/facts';
import type { Fix, RelatedLocation } from '../core/hazard';
import { callsOf } from '../core/request-reach';
import { lineOf, type Rule, type RuleContext } from '../core/rule';
import { sourceLines } from '../core/source-lines';
import { callCatalogs } from './blocking/call-catalogs';
import { synchronousCalls } from '../core/call-summary';
import { ProjectCallGraph, type BlockingChain, type ImportedInstance } from './blocking/call-graph';
import { ForkUnsafeCalls, type ForkUnsafeCall } from './catalog/fork-unsafe-connections';
import { preloadedFactories, preloadImporting, summarizeImportTime } from './deployment/preloaded-modules';
import { rangeWithin } from '../core/positions';

const CODE = 'IL603';

const FORK_UNSAFE = new ForkUnsafeCalls();

/** `if __name__ == "__main__":` — its body runs when the file is a script, never when gunicorn imports it. */
const MAIN_GUARD = /^__name__\s*==\s*(['"])__main__\1$|^(['"])__main__\2\s*==\s*__name__$/;

/** A call made before gunicorn forks, and what makes it run then: the import, or the app factory gunicorn calls. */
interface PreforkCall {
  call: CallEvent;
  /** `when \`app.main\` is imported`, `when gunicorn calls \`create_app()\``. */
  when: string;
}

/**
 * The calls that run before the fork, each once, in source order: the module's top-level calls
 * (not those behind `if __name__ == "__main__":`) and the calls of the app factories gunicorn
 * calls in it.
 */
function preforkCalls(module: ModuleFacts, preload: PreloadSetting): PreforkCall[] {
  const lines = sourceLines(module);
  const scripts: Range[] = [];
  for (const block of module.moduleFlow.blocks) {
    for (const event of block.events) {
      if (event.kind !== 'branch' || event.range.start.line !== event.range.end.line) continue;
      const test = (lines[event.range.start.line] ?? '').slice(event.range.start.character, event.range.end.character).trim();
      if (MAIN_GUARD.test(test)) scripts.push(event.statement.range);
    }
  }
  const calls = new Map<string, PreforkCall>();
  const add = (call: CallEvent, when: string) => {
    const { start, end } = call.range;
    const key = `${start.line}:${start.character}-${end.line}:${end.character}`;
    if (!calls.has(key)) calls.set(key, { call, when });
  };
  for (const call of callsOf({ flow: module.moduleFlow })) {
    if (!scripts.some((script) => rangeWithin(call.range, script))) add(call, `when \`${module.moduleName}\` is imported`);
  }
  for (const name of preloadedFactories(preload, module)) {
    const factory = module.functions.find((fn) => fn.name === name && !fn.parent && !fn.className && !fn.isAsync);
    for (const call of factory ? synchronousCalls(factory) : []) add(call, `when gunicorn calls the app factory \`${name}()\``);
  }
  return [...calls.values()];
}

function where(path: string, range: Range): string {
  return `${basename(path)}:${lineOf(range)}`;
}

function preloadNote(preload: PreloadSetting): RelatedLocation {
  return {
    path: preload.source.path,
    range: preload.source.range,
    message: `\`${preload.setting}\`: gunicorn imports the app once, in its master process, and forks every worker from it`,
  };
}

function consequence(preload: PreloadSetting, entry: ForkUnsafeCall): string {
  return (
    `The app is served with gunicorn's \`${preload.setting}\` (${where(preload.source.path, preload.source.range)}), so gunicorn imports it once, in its ` +
    'master process, and forks every worker from that process: the workers inherit copies of this connection and share it — their queries and ' +
    `replies interleave on one socket, and a worker that exits closes it for the others. Instead, ${entry.suggestion}, or serve without \`${preload.setting}\`.`
  );
}

/** The call as the user wrote it, with the name it is bound to: `mongo = MongoClient()`. */
function subject(call: CallEvent): string {
  const bound = call.boundTo?.length === 1 ? `${call.boundTo[0]!.text} = ` : '';
  return `\`${bound}${call.text}()\``;
}

function deferFix(context: RuleContext, call: CallEvent, entry: ForkUnsafeCall): Fix | undefined {
  const { deferredBy } = entry;
  const edits = deferredBy && context.fixes.addKeywordArgument(call, deferredBy.keyword, deferredBy.value);
  return edits && { applicability: 'unsafe', message: `Pass \`${deferredBy.keyword}=${deferredBy.value}\`: connect on first use, in the worker`, edits };
}

function reportDirect(context: RuleContext, preload: PreloadSetting, { call, when }: PreforkCall, entry: ForkUnsafeCall, instance?: ImportedInstance): void {
  const origin = instance ? ` (\`${instance.name}\` is the \`${instance.type}\` created at ${where(instance.path, instance.range)})` : '';
  context.report({
    message: `${subject(call)}${origin} runs ${when}, and ${entry.does}. ${consequence(preload, entry)}`,
    range: call.range,
    related: [preloadNote(preload)],
    fix: deferFix(context, call, entry),
  });
}

function reportChain(context: RuleContext, preload: PreloadSetting, { call, when }: PreforkCall, chain: BlockingChain<ForkUnsafeCall>): void {
  const { entry } = chain;
  const last = chain.steps[chain.steps.length - 1]!;
  const path = chain.steps.map(({ caller }) => `\`${caller.name}\``).join(' → ');
  const related: RelatedLocation[] = chain.steps.map(({ caller, call: step }, index) => ({
    path: caller.path,
    range: step.range,
    message: index === chain.steps.length - 1 ? `opens here: \`${step.text}()\` ${entry.does}` : `\`${caller.name}\` calls \`${step.text}()\` here`,
  }));
  context.report({
    message:
      `${subject(call)} runs ${when}, and through ${path} it calls \`${last.call.text}()\` ` +
      `(${where(last.caller.path, last.call.range)}), which ${entry.does}. ${consequence(preload, entry)}`,
    range: call.range,
    related: [...related, preloadNote(preload)],
  });
}

export const forkSharedConnection: Rule = {
  meta: {
    code: CODE,
    name: 'fork-shared-connection',
    family: 'deployment',
    defaultSeverity: 'warning',
    summary: 'A client, pool or socket is opened at import time in an app that gunicorn preloads, so every forked worker shares its connection.',
    languages: ['python'],
    fix: 'sometimes',
    docs: {
      whatItDoes: `
Reads the deployment files (Dockerfile \`CMD\`/\`ENTRYPOINT\`, compose, Procfile, shell scripts,
Makefile production targets, Kubernetes manifests, \`gunicorn.conf.py\`) for a gunicorn started
with \`--preload\`, \`preload_app = True\` or \`GUNICORN_CMD_ARGS="--preload"\`, and then reports
code that opens a connection while the served app is being imported: at the top level of the
module gunicorn serves (\`app.main\` of \`app.main:app\`) or of any module it imports, directly
or through a module-level call — a singleton built at import (\`db = Database()\` whose
\`__init__\` connects), an app factory (\`app = create_app()\`), an \`init_db()\` — followed
across modules. The finding is at the call; the related information shows the chain and the
deployment line that turns preloading on.

Only calls that connect the moment they run are reported, as their libraries document them:
\`pymongo.MongoClient()\` (unless \`connect=False\`), \`psycopg2.connect()\` / \`psycopg.connect()\`
and psycopg2's pools, \`psycopg_pool.ConnectionPool()\` (unless \`open=False\`), MySQL, MariaDB
and Oracle \`connect()\`, \`sqlite3.connect()\`, \`engine.connect()\` / \`engine.begin()\` and
\`Base.metadata.create_all(engine)\` on a SQLAlchemy engine, \`pika.BlockingConnection()\`, Kafka
producers and consumers, gRPC channels, Cassandra sessions and connected sockets. Clients that
connect on first use are not: \`redis.Redis()\`, \`create_engine()\` itself, Motor's
\`AsyncIOMotorClient()\`, \`httpx\`/\`requests\` clients, \`boto3\`, and anything created in the
lifespan, in a function called per request, or behind \`if __name__ == "__main__":\`.`,
      whyIsThisBad: `
\`--preload\` makes gunicorn import the application once, in its master process, and then
\`fork()\` the workers from it — that saves memory and start-up time. But \`fork()\` copies the
process, open sockets included: a connection opened during the import exists once on the
database server and is now held by every worker. Two workers that use it at the same time
interleave their queries on one socket and read each other's replies; when one worker exits (a
restart, \`max_requests\`), its copy closes the connection for the others. Libraries that run
background threads (PyMongo's monitors, Kafka clients, gRPC) are worse off: threads do not
survive \`fork()\`, and a lock one of them held is copied locked, so a worker can deadlock on its
first query. PyMongo, SQLAlchemy, gRPC and SQLite all document that their connections must not
cross a fork.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          servedWith: { file: 'gunicorn.conf.py', text: 'preload_app = True\nworkers = 4\nworker_class = "uvicorn.workers.UvicornWorker"\n' },
          bad: `
from fastapi import FastAPI
from pymongo import MongoClient

app = FastAPI()
client = MongoClient("mongodb://mongo:27017")


@app.get("/orders/{order_id}")
def get_order(order_id: str) -> dict:
    return client.shop.orders.find_one({"_id": order_id}, {"_id": 0}) or {}
`,
          good: `
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from pymongo import MongoClient


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.mongo = MongoClient("mongodb://mongo:27017")  # runs in each worker, after the fork
    yield
    app.state.mongo.close()


app = FastAPI(lifespan=lifespan)


@app.get("/orders/{order_id}")
def get_order(order_id: str, request: Request) -> dict:
    return request.app.state.mongo.shop.orders.find_one({"_id": order_id}, {"_id": 0}) or {}
`,
        },
      ],
      fixSafety: `
For \`pymongo.MongoClient()\` the fix passes \`connect=False\`, which PyMongo recommends for
clients created before a fork: the client then connects on its first operation, in the worker.
It is **unsafe**: connection errors then surface on the first request instead of at start-up, and
an operation the module runs at import (\`create_index\`, a \`ping\`) still connects before the
fork. Other findings have no automatic fix: moving a connection into the lifespan, or opening a
pool with \`open=False\` and \`pool.open()\` later, changes how the rest of the code reaches it.`,
      whenNotToUse: `
When the connection is deliberately reset in every worker — \`engine.dispose(close=False)\` or a
new client in gunicorn's \`post_fork\` hook — or the object is never used after the fork, suppress
the line with a reason: \`# interleave: ignore[fork-shared-connection] -- reset in post_fork\`.
An engine built with \`poolclass=NullPool\` keeps no connection, so its \`create_all\` is harmless
too.`,
    },
  },
  summarize: summarizeImportTime,
  check(context) {
    const { module, project, config } = context;
    const preload = preloadImporting(project, CODE, module);
    if (!preload) return;
    const graph = new ProjectCallGraph(project, module, FORK_UNSAFE, callCatalogs(config).offloadWrappers);
    for (const prefork of preforkCalls(module, preload)) {
      const { call } = prefork;
      if (!call.callee) continue;
      const direct = graph.blockingEntry(call.callee, call.literalArguments);
      if (direct) {
        reportDirect(context, preload, prefork, direct.entry, direct.instance);
        continue;
      }
      const callee = graph.inlineFunction(call.callee);
      const chain = callee && graph.blockingChain(callee);
      if (chain) reportChain(context, preload, prefork, chain);
    }
  },
};

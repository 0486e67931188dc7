import { basename } from 'node:path';
import type { FunctionFacts, ModuleFacts, Range, ReadEvent, StateRef, WriteEvent } from '../core/facts';
import { calleeIndex, reachableFunctions } from '../core/call-graph';
import { mayMemoise, writeSources } from '../core/race-analysis';
import { isConstructor } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { sourceLines } from '../core/source-lines';
import { spawnsTask } from './catalog/tasks';
import { line } from './race-reporting';
import { storyStep } from './story-steps';

const REQUEST_KINDS = new Set(['route', 'websocket', 'dependency', 'background']);
const SETUP_KINDS = new Set(['lifespan', 'startup']);
const CACHE_NAME = /cache|memo/i;
const CACHE_TYPE = /^cachetools\.|(LRU|TTL|LFU)Cache\(\)$/;
const MEMO_FILLS = new Set(['setdefault', 'update']);

interface Mutation {
  fn: FunctionFacts;
  write: WriteEvent;
}

interface SharedState {
  /** What the message calls it: `SESSIONS`, `RequestCounter.count`, `app.state.visits`. */
  name: string;
  definition?: Range;
  mutations: Mutation[];
}

/** Handlers plus the functions, nested functions and singleton methods of this module they call. */
function requestPathFunctions(module: ModuleFacts): Set<FunctionFacts> {
  const roots = module.functions.filter((fn) => REQUEST_KINDS.has(fn.kind));
  const reached = reachableFunctions(roots, calleeIndex(module), (callee) => !isConstructor(callee));
  for (const fn of module.functions) if (fn.parent && [...reached].some((parent) => parent.id === fn.parent)) reached.add(fn);
  return reached;
}

/** Groups a write under the piece of state a user would name and where it is defined. */
function stateIdentity(module: ModuleFacts, ref: StateRef): { id: string; name: string; definition?: Range } | undefined {
  const definitionOf = (root: string, scope: string) => module.state.find((d) => d.root === root && d.scope === scope)?.range;
  switch (ref.scope) {
    case 'module': {
      const definition = definitionOf(ref.root, 'module');
      return definition ? { id: ref.root, name: ref.root, definition } : undefined;
    }
    case 'class': {
      const attribute = ref.key.slice(ref.root.length + 1).split(/[.[]/)[0]!;
      const name = `${ref.root}.${attribute}`;
      return { id: name, name, definition: definitionOf(name, 'class') ?? ref.definition };
    }
    case 'singleton':
      return { id: ref.root, name: ref.root, definition: definitionOf(ref.root, 'singleton') };
    case 'app-state': {
      const match = /^app\.(state|locals)\.[A-Za-z_$][\w$]*|^app\[[^\]]*\]/.exec(ref.key);
      return match ? { id: match[0], name: match[0] } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A dict filled as a memo cache: every write stores, under a key its function first looked up
 * in the same dict (`k in D`, `D.get(k)`), a value not computed from that lookup, in a function
 * that may memoise (not a POST handler). A counter (`D[k] = D.get(k, 0) + 1`), a flag tested by
 * value, or an idempotency record is application state, not a cache.
 */
function isMemoCache(module: ModuleFacts, state: SharedState): boolean {
  if (CACHE_NAME.test(state.name)) return true;
  const valueKind = module.state.find((d) => d.root === state.name)?.valueKind;
  if (valueKind && CACHE_TYPE.test(valueKind)) return true;
  return state.mutations.every(({ fn, write }) => {
    if (!mayMemoise(fn)) return false;
    const item = write.op === 'assign' && write.state.key.endsWith(']');
    const inserts = item || (write.op === 'mutate' && MEMO_FILLS.has(write.method ?? ''));
    if (!inserts) return false;
    const container = item ? write.state.key.slice(0, write.state.key.lastIndexOf('[')) : write.state.key;
    const events = fn.flow.blocks.flatMap((block) => block.events);
    const lookups = events.filter(
      (event): event is ReadEvent =>
        event.kind === 'read' &&
        (event.access === 'membership' || event.access === 'lookup') &&
        event.state.key.startsWith(`${container}[`) &&
        event.range.start.line <= write.range.start.line,
    );
    const sources = writeSources(fn).get(write.id);
    return lookups.length > 0 && !lookups.some((read) => sources?.has(read.id));
  });
}

const TASK_ADDS = new Set(['add', 'append']);
const TASK_REMOVALS = new Set(['discard', 'remove', 'pop', 'clear']);

/**
 * A set of the process's own asyncio tasks, kept so they are not garbage-collected (the IL401
 * fix): tasks exist only in their process, so a per-process copy is exactly right.
 */
function isTaskRegistry(state: SharedState): boolean {
  const addsTask = ({ fn, write }: Mutation) => {
    if (write.op !== 'mutate' || !TASK_ADDS.has(write.method ?? '')) return false;
    return fn.flow.blocks.some((block) =>
      block.events.some(
        (event) =>
          event.kind === 'call' &&
          spawnsTask(event.callee, event.text) &&
          ((event.usage === 'argument' && event.statement.range.start.line === write.statement.range.start.line) ||
            event.boundTo?.some((holder) => holder.kind === 'local' && write.value.locals.includes(holder.key)) === true),
      ),
    );
  };
  return state.mutations.some(addsTask) && state.mutations.every((mutation) => addsTask(mutation) || TASK_REMOVALS.has(mutation.write.method ?? ''));
}

/** `\`login\``, or for an anonymous handler what it serves: `the POST handler`. */
function mutatorName(fn: FunctionFacts): string {
  if (fn.name !== '<anonymous>') return `\`${fn.name}\``;
  return fn.httpMethods ? `the ${fn.httpMethods.join('/')} handler` : 'a handler';
}

export const perProcessState: Rule = {
  meta: {
    code: 'IL103',
    name: 'per-process-state',
    family: 'race',
    defaultSeverity: 'info',
    summary: 'Application state kept in process memory and mutated by handlers: every worker process has its own copy.',
    languages: ['python', 'typescript'],
    fix: 'none',
    docs: {
      whatItDoes: `
Finds module-level variables, class attributes, singletons' attributes and \`app.state\` entries
that request handlers (and the functions they call) mutate — counters, sessions, job registries,
rate-limit buckets, connection lists. The diagnostic sits on the state's definition and lists the
mutations as related locations. It is a warning when the deployment runs more than one worker
process, information otherwise, and silent when one worker is configured. Interleave reads the
count from \`gunicorn.conf.py\`, \`gunicorn\`/\`uvicorn\` command lines in Dockerfiles, compose
files, Procfiles and shell scripts, \`uvicorn.run(..., workers=N)\`, \`WEB_CONCURRENCY\` and
Kubernetes replicas, and names the file and line; the \`workers\` setting overrides it.

In TypeScript and JavaScript the state is Node's (see IL101) — module-level \`Map\`s, objects,
arrays and counters, static fields, NestJS providers' fields, \`app.locals\` — mutated by route
handlers, middleware and provider methods; the process count comes from PM2 ecosystem files and
\`pm2 start -i\`, entry points that fork \`cluster\` workers, and container replicas.`,
      whyIsThisBad: `
Module state is created once *per process*. Under gunicorn or \`uvicorn --workers N\` there are N
copies: a session created on worker 1 does not exist on worker 2, a rate limit of 100 requests
becomes 100 × N, a counter reports a fraction of the traffic, and a WebSocket broadcast reaches
only the clients connected to the same worker. Nothing fails; the numbers are just wrong, and
only in production.

Import-time setup, state written only in the lifespan or startup hooks, and memo caches (which are
fine per process) stay silent.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import secrets

from fastapi import FastAPI

app = FastAPI()
sessions: dict[str, str] = {}


@app.post("/login")
async def login(user: str) -> dict:
    token = secrets.token_urlsafe()
    sessions[token] = user
    return {"token": token}
`,
          good: `
import secrets

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/login")
async def login(user: str, request: Request) -> dict:
    token = secrets.token_urlsafe()
    await request.app.state.redis.set(f"session:{token}", user, ex=3600)
    return {"token": token}
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import { randomUUID } from 'node:crypto';
import express from 'express';

const app = express();
const sessions = new Map<string, string>();

app.post('/login', (req, res) => {
  const token = randomUUID();
  sessions.set(token, req.body.user);
  res.json({ token });
});
`,
          good: `
import { randomUUID } from 'node:crypto';
import express from 'express';
import { redis } from './redis';

const app = express();

app.post('/login', async (req, res) => {
  const token = randomUUID();
  await redis.set(\`session:\${token}\`, req.body.user, 'EX', 3600);
  res.json({ token });
});
`,
        },
      ],
      fixSafety: 'There is no automatic fix: moving state out of the process is a design change.',
      whenNotToUse: `
When the app deliberately runs one worker, say so with the \`workers = 1\` setting (or
\`interleave.workers\` in VS Code) and the rule goes quiet; or suppress on the definition line
with a reason: \`# interleave: ignore[per-process-state] -- single worker by design\`.`,
    },
  },
  check({ module, project, report }) {
    const workers = project.workersByLanguage ? project.workersByLanguage[module.language] : project.workers;
    if (workers?.count === 1) return;
    const states = new Map<string, SharedState>();
    for (const fn of requestPathFunctions(module)) {
      if (isConstructor(fn)) continue;
      for (const block of fn.flow.blocks) {
        for (const event of block.events) {
          if (event.kind !== 'write') continue;
          const identity = stateIdentity(module, event.state);
          if (!identity) continue;
          let state = states.get(identity.id);
          if (!state) states.set(identity.id, (state = { name: identity.name, definition: identity.definition, mutations: [] }));
          if (!state.mutations.some((m) => m.write.range.start.line === event.range.start.line)) state.mutations.push({ fn, write: event });
        }
      }
    }
    for (const state of states.values()) {
      if (isMemoCache(module, state) || isTaskRegistry(state)) continue;
      const setupWrite = module.functions
        .filter((fn) => SETUP_KINDS.has(fn.kind))
        .flatMap((fn) => fn.flow.blocks.flatMap((block) => block.events))
        .find((event): event is WriteEvent => event.kind === 'write' && event.state.key.startsWith(state.name));
      const anchor = state.definition ?? setupWrite?.range ?? state.mutations[0]!.write.range;
      const mutations = [...state.mutations].sort((a, b) => a.write.range.start.line - b.write.range.start.line);
      const sites = mutations
        .slice(0, 3)
        .map(({ fn, write }) => `${mutatorName(fn)} ${line(write.range)}`)
        .join(', ');
      const more = mutations.length > 3 ? ` and ${mutations.length - 3} more` : '';
      const copies = workers
        ? `${workers.source ? `${basename(workers.source.path)}:${workers.source.range.start.line + 1}` : 'The workers setting'} runs ${workers.description ?? `${workers.count} workers`}: each has its own \`${state.name}\`, so a change made on one worker is invisible to the ${workers.description ? 'others' : `other ${workers.count - 1}`}.`
        : module.language === 'python'
          ? `Each worker process (gunicorn \`-w\`, \`uvicorn --workers\`) has its own copy, so with more than one worker a request only sees the changes made on its own worker.`
          : `Each Node process (\`cluster\` workers, PM2 \`instances\`, container replicas) has its own copy, so with more than one process a request only sees the changes made in its own.`;
      report({
        message: `\`${state.name}\` is application state kept in process memory, mutated by request handlers (${sites}${more}). ${copies} Keep it in Redis or a database, or run and document a single worker.`,
        range: anchor,
        severity: workers && workers.count > 1 ? 'warning' : undefined,
        related: [
          ...mutations.map(({ fn, write }) => ({ path: module.path, range: write.range, message: `mutated in ${mutatorName(fn)}` })),
          ...(workers?.source ? [{ path: workers.source.path, range: workers.source.range, message: `${workers.description ?? `${workers.count} worker processes`} configured here` }] : []),
        ],
        story: {
          kind: 'per-process',
          state: state.name,
          definition: { range: anchor, code: sourceLines(module)[anchor.start.line]?.trim() ?? '' },
          mutations: mutations.map(({ write }) => storyStep(module, write.range, write.statement)),
          workers,
        },
      });
    }
  },
};

import { basename } from 'node:path';
import { reachedFrom } from '../core/contexts/describe';
import { flowEvents } from '../core/dataflow';
import type { ModuleFacts, Range, StateRef, WriteEvent } from '../core/facts';
import type { Rule } from '../core/rule';
import { sourceLines } from '../core/source-lines';
import { concurrentMutators, foreignMutations, mutatorName, summarizeForeignWrites, traitsOf, type Mutation } from './per-process/mutations';
import { line } from './race-reporting';
import { storyStep } from './story-steps';

const SETUP_KINDS = new Set(['lifespan', 'startup']);
const CACHE_NAME = /cache|memo(?!ry)/i;
const CACHE_TYPE = /^cachetools\.|(LRU|TTL|LFU)Cache\(\)$/;
/** A comment that says the state is meant to live in each process. */
const PER_PROCESS_COMMENT = /per[- ]?(process|worker|instance)|process[- ]local|in[- ]process|each (process|worker)|this (process|worker)/i;

interface SharedState {
  /** What the message calls it: `SESSIONS`, `RequestCounter.count`, `app.state.visits`. */
  name: string;
  /** The root a module-level definition has, for other modules' writes to find it. */
  root?: string;
  definition?: Range;
  mutations: Mutation[];
}

/** Bases of classes whose class-level names declare per-instance fields: ORM models, pydantic models, schemas. */
const MODEL_BASE = /(^|\.)(pydantic|sqlalchemy|sqlmodel|django\.db|tortoise|beanie|odmantic|mongoengine|msgspec)\.|(^|\.)(BaseModel|SQLModel|Model|Base|DeclarativeBase|Document|Schema|Struct|TypedDict)$/;

function isModelClass(module: ModuleFacts, name: string): boolean {
  return module.classes.some((candidate) => candidate.name === name && candidate.bases.some((base) => MODEL_BASE.test(base)));
}

/** Groups a write under the piece of state a user would name and where it is defined. */
function stateIdentity(module: ModuleFacts, ref: StateRef): { id: string; name: string; root?: string; definition?: Range } | undefined {
  const definitionOf = (root: string, scope: string) => module.state.find((d) => d.root === root && d.scope === scope)?.range;
  switch (ref.scope) {
    case 'module': {
      const definition = definitionOf(ref.root, 'module');
      return definition ? { id: ref.root, name: ref.root, root: ref.root, definition } : undefined;
    }
    case 'class': {
      // A field declared on a model class is each row's or instance's own, not the class's.
      if (isModelClass(module, ref.root)) return undefined;
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
 * Copies per process that are harmless: a memo cache (by its name, its type, or every write
 * filling in what was found missing), or what only the process can hold — its own connections,
 * locks, tasks and clients — or state a comment says is meant to be per process. Not when a
 * function turns requests away on what it holds (`if nick in NICKNAMES: raise Conflict`, a room
 * size limit): each worker then enforces the rule on its own copy.
 */
function perProcessByDesign(module: ModuleFacts, state: SharedState): boolean {
  if (CACHE_NAME.test(state.name)) return true;
  const valueKind = module.state.find((d) => d.root === state.name)?.valueKind;
  if (valueKind && CACHE_TYPE.test(valueKind)) return true;
  if (rejectsOn(module, state)) return false;
  const inserts = state.mutations.filter((mutation) => !mutation.removes);
  if (inserts.length > 0 && inserts.every((mutation) => mutation.memo)) return true;
  if (inserts.length > 0 && inserts.every((mutation) => mutation.live) && !usedByPlainRoutes(module, state)) return true;
  if (inserts.length > 0 && inserts.every((mutation) => mutation.snapshot)) return true;
  return state.definition !== undefined && commentedPerProcess(module, state.definition);
}

/** What a comment says to mean per-process state, not merely to describe it: a cache, or a choice. */
const MEANT = /\b(cache[sd]?|caching|memo|memoi[sz]\w*|intentional(ly)?|deliberate(ly)?|by design|on purpose|is fine|is ok|is enough)\b/i;

/**
 * Whether a plain HTTP route of the module (not a WebSocket handler) uses the state without adding
 * to it: a registry of a worker's own connections that a request from elsewhere (a status push, an
 * admin broadcast) reaches only on the worker it lands on.
 */
function usedByPlainRoutes(module: ModuleFacts, state: SharedState): boolean {
  const root = state.root ?? state.name.split('.')[0]!;
  return module.functions.some((fn) => {
    if (fn.kind !== 'route') return false;
    const events = flowEvents(fn.flow);
    // A route that adds its own task or connection keeps it; one that only reaches the registry serves a client of another's.
    if (events.some((event) => event.kind === 'write' && event.state.root === root)) return false;
    return events.some((event) => event.kind === 'call' && (event.receiver?.key.split('.')[0] === root || event.text.startsWith(`${root}.`)));
  });
}

/** The first statement under a test that turns the request away: raising, an error response, closing the connection. */
const REJECTS = /^\s*(raise\b|throw\b|return\b.*\b(status(_code)?\s*[=:]\s*4\d\d|HTTP_4\d\d|[Ee]rror|Conflict|Forbidden|TooMany)|(await\s+)?[\w.]+\.close\()/;

/** Whether a function of the module tests the state and turns the request away on the answer. */
function rejectsOn(module: ModuleFacts, state: SharedState): boolean {
  const lines = sourceLines(module);
  const root = state.root ?? state.name;
  return module.functions.some((fn) => {
    const events = flowEvents(fn.flow);
    const tested = new Set(events.flatMap((event) => (event.kind === 'read' && (event.state.root === root || event.state.key.startsWith(state.name)) ? [event.id] : [])));
    return events.some((event) => {
      if (event.kind !== 'branch' || !event.value.reads.some((id) => tested.has(id))) return false;
      const next = lines.slice(event.range.end.line + 1).find((text) => text.trim() !== '' && !/^\s*(#|\/\/)/.test(text));
      return next !== undefined && REJECTS.test(next);
    });
  });
}

/** A comment on the definition's line, or on the lines just above it, says the state is per process. */
function commentedPerProcess(module: ModuleFacts, definition: Range): boolean {
  const lines = sourceLines(module);
  const above = (line: number) => line < definition.start.line && line >= definition.start.line - 3 && /^\s*(#|\/\/|\/\*|\*)/.test(lines[line] ?? '');
  return module.comments.some(
    (comment) =>
      (comment.range.start.line === definition.start.line || above(comment.range.start.line)) && PER_PROCESS_COMMENT.test(comment.text) && MEANT.test(comment.text),
  );
}

/** Who mutates the state, in the message: request handlers, background tasks, or both. */
function mutatedBy(mutations: readonly Mutation[]): string {
  const background = mutations.some((mutation) => mutation.witness?.kind === 'background-loop' || mutation.witness?.kind === 'worker-thread');
  const requests = mutations.some((mutation) => !mutation.witness || mutation.witness.kind === 'request-loop' || mutation.witness.kind === 'request-threadpool');
  if (background && !requests) return 'by background work that every worker process runs';
  return background ? 'by request handlers and background work' : 'by request handlers';
}

export const perProcessState: Rule = {
  meta: {
    code: 'IL103',
    name: 'per-process-state',
    family: 'race',
    defaultSeverity: 'info',
    summary: 'Application state kept in process memory and mutated by handlers: every worker process has its own copy.',
    languages: ['python', 'typescript'],
    preview: true,
    fix: 'none',
    docs: {
      whatItDoes: `
Finds module-level variables, class attributes, singletons' attributes and \`app.state\` entries
that code running alongside requests mutates — request handlers and the functions they call, in
any module, and background work such as scheduler jobs, which every worker process starts for
itself: counters, sessions, presence and job registries, rate-limit buckets, settings an admin
endpoint changes. Where each function runs comes from the execution-context model; the message
names the entry point that reaches a helper. The diagnostic sits on the state's definition and
lists the mutations, in whichever module they are, as related locations. It is a warning when the
deployment runs more than one worker process and silent when one worker is configured. When no
deployment file or setting gives a count, it reports only with \`preview = true\`, as
information: on public apps no one here wrote, such findings were mostly in apps that run one
process by design. Fields declared on model classes (pydantic, SQLAlchemy, Django, schemas) are
each instance's own and never state. Interleave reads the count from \`gunicorn.conf.py\`, \`gunicorn\`/\`uvicorn\` command
lines in Dockerfiles, compose files, Procfiles and shell scripts, \`uvicorn.run(..., workers=N)\`,
\`WEB_CONCURRENCY\` and Kubernetes replicas, and names the file and line; the \`workers\` setting
overrides it.

In TypeScript and JavaScript the state is Node's (see IL101) — module-level \`Map\`s, objects,
arrays and counters, static fields, NestJS providers' fields, \`app.locals\` — mutated by route
handlers, middleware and provider methods; the process count comes from PM2 ecosystem files (an app
without \`instances\` is one process) and \`pm2 start -i\`, entry points that fork \`cluster\`
workers, and container replicas.`,
      whyIsThisBad: `
Module state is created once *per process*. Under gunicorn or \`uvicorn --workers N\` there are N
copies: a session created on worker 1 does not exist on worker 2, a rate limit of 100 requests
becomes 100 × N, a counter reports a fraction of the traffic, and a job that a scheduler runs in
every worker runs N times. Nothing fails; the numbers are just wrong, and only in production.

What is per process by nature stays silent: a worker's own WebSocket connections, locks, tasks
and clients (they cannot live anywhere else; a broadcast to every worker's clients needs a pub/sub
channel, not a shared list), memo caches (a copy per process is only a colder cache), a snapshot
of a store that each worker refreshes whole (\`_flags = await store.fetch_all()\`), state a comment
says is per process, and state written only at import, in the lifespan or in startup hooks. A
registry of connections is reported all the same when a handler turns requests away on what it
holds (\`if nick in NICKNAMES: raise …\`, a room size limit): each worker enforces that alone.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          servedWith: { file: 'gunicorn.conf.py', text: 'workers = 4\nworker_class = "uvicorn.workers.UvicornWorker"\n' },
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
with a reason: \`# interleave: ignore[per-process-state] -- single worker by design\`.

Preview (off unless selected or with \`preview = true\`): on the real-code evaluation both judged
findings were wrong (a database field, a per-process outbox) and it found none of the 6
labelled hazards, which sit in settings applied by one process and schedulers started per worker.`,
    },
  },
  summarize(module) {
    return summarizeForeignWrites(module);
  },
  check(context) {
    const { module, project, report } = context;
    const workers = project.workersByLanguage ? project.workersByLanguage[module.language] : project.workers;
    if (workers?.count === 1) return;
    // With no deployment file or setting that runs more than one process, the copies are a guess:
    // on real apps most such projects ran one process by design. That part is preview.
    if (!workers && !context.config.preview) return;
    const states = new Map<string, SharedState>();
    const stateOf = (identity: NonNullable<ReturnType<typeof stateIdentity>>) => {
      let state = states.get(identity.id);
      if (!state) states.set(identity.id, (state = { name: identity.name, root: identity.root, definition: identity.definition, mutations: [] }));
      return state;
    };
    for (const { fn, witness } of concurrentMutators(context)) {
      for (const block of fn.flow.blocks) {
        for (const event of block.events) {
          if (event.kind !== 'write') continue;
          const identity = stateIdentity(module, event.state);
          if (!identity) continue;
          const state = stateOf(identity);
          if (state.mutations.some((m) => m.path === module.path && m.range.start.line === event.range.start.line)) continue;
          state.mutations.push({ path: module.path, range: event.range, by: mutatorName(fn), write: event, ...(witness && { witness }), ...traitsOf(module, fn, event) });
        }
      }
    }
    for (const definition of module.state) {
      if (definition.scope !== 'module') continue;
      const foreign = foreignMutations(context, 'IL103', definition.root);
      if (foreign.length > 0) stateOf({ id: definition.root, name: definition.root, root: definition.root, definition: definition.range }).mutations.push(...foreign);
    }
    for (const state of states.values()) {
      if (perProcessByDesign(module, state)) continue;
      const setupWrite = module.functions
        .filter((fn) => SETUP_KINDS.has(fn.kind))
        .flatMap((fn) => flowEvents(fn.flow))
        .find((event): event is WriteEvent => event.kind === 'write' && event.state.key.startsWith(state.name));
      const anchor = state.definition ?? setupWrite?.range ?? state.mutations[0]!.range;
      const mutations = [...state.mutations].sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line);
      const where = (mutation: Mutation) => (mutation.path === module.path ? line(mutation.range) : `${basename(mutation.path)}:${mutation.range.start.line + 1}`);
      const shown = mutations.slice(0, 3);
      // The first mutation the model reaches through calls says where it runs from.
      const chained = shown.find((mutation) => mutation.witness && mutation.witness.steps.length > 0);
      const sites = shown.map((mutation) => `${mutation.by} ${where(mutation)}${mutation === chained ? reachedFrom(mutation.witness) : ''}`).join('; ');
      const more = mutations.length > 3 ? ` and ${mutations.length - 3} more` : '';
      const copies = workers
        ? `${workers.source ? `${basename(workers.source.path)}:${workers.source.range.start.line + 1}` : 'The workers setting'} runs ${workers.description ?? `${workers.count} workers`}: each has its own \`${state.name}\`, so a change made on one worker is invisible to the ${workers.description ? 'others' : `other ${workers.count - 1}`}.`
        : module.language === 'python'
          ? `Each worker process (gunicorn \`-w\`, \`uvicorn --workers\`) has its own copy, so with more than one worker a request only sees the changes made on its own worker.`
          : `Each Node process (\`cluster\` workers, PM2 \`instances\`, container replicas) has its own copy, so with more than one process a request only sees the changes made in its own.`;
      report({
        message: `\`${state.name}\` is application state kept in process memory, mutated ${mutatedBy(mutations)} (${sites}${more}). ${copies} Keep it in Redis or a database, or run and document a single worker.`,
        range: anchor,
        severity: workers && workers.count > 1 ? 'warning' : undefined,
        related: [
          ...mutations.map((mutation) => ({ path: mutation.path, range: mutation.range, message: `mutated in ${mutation.by}` })),
          ...(workers?.source ? [{ path: workers.source.path, range: workers.source.range, message: `${workers.description ?? `${workers.count} worker processes`} configured here` }] : []),
        ],
        story: {
          kind: 'per-process',
          state: state.name,
          definition: { range: anchor, code: sourceLines(module)[anchor.start.line]?.trim() ?? '' },
          mutations: mutations.flatMap((mutation) => (mutation.write ? [storyStep(module, mutation.write.range, mutation.write.statement)] : [])),
          workers,
        },
      });
    }
  },
};

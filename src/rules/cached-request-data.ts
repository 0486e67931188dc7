import { flowEvents } from '../core/dataflow';
import type { CallEvent, FunctionFacts, ModuleFacts, Parameter, Range } from '../core/facts';
import type { RelatedLocation } from '../core/hazard';
import { calleeIndex, calledFunctions } from '../core/call-graph';
import { lineOf, type Rule, type RuleContext } from '../core/rule';
import { sourceLines } from '../core/source-lines';
import { isSessionType } from './catalog/orm';
import {
  CONTEXT_VARIABLE_GET,
  isSecurityScheme,
  PER_REQUEST_TYPES,
  REQUEST_PROXIES,
  RESULT_CACHES,
  SHARED_SESSION_REGISTRIES,
  SYNC_ONLY_CACHES,
} from './catalog/request-scope';

/** Why a cached function's result depends on the request, with where the code says so. */
type Evidence =
  /** A parameter that is a new object on every request: the key never repeats. */
  | { kind: 'object'; range: Range; parameter: string; what: string }
  /** A parameter holding the request's credentials: each answer lives as long as the worker. */
  | { kind: 'credential'; range: Range; parameter: string; what: string }
  /** The body reads the current request through a proxy or a context variable. */
  | { kind: 'context'; range: Range; code: string; what: string; through: FunctionFacts[] }
  /** The function returns a new database session. */
  | { kind: 'session'; range: Range; code: string };

/** How deep `Depends(...)` chains are followed inside the module. */
const MAX_DEPENDENCY_DEPTH = 4;

const DEPENDENCY = /\b(Depends|Security)\(\s*(?:dependency\s*=\s*)?([A-Za-z_][\w.]*)/;

/** `SessionLocal()`, `Session(engine)`, `async_session()`: what a session factory is called in the FastAPI and SQLAlchemy docs. */
const SESSION_FACTORY_NAME = /^((Async)?SessionLocal|(Async|Db|DB|Database)?Session|async_session(_maker)?)$/;

class RequestDependence {
  private readonly lines: readonly string[];
  private readonly index: Map<string, FunctionFacts[]>;
  private readonly imports: Map<string, string>;

  constructor(private readonly module: ModuleFacts) {
    this.lines = sourceLines(module);
    this.index = calleeIndex(module);
    this.imports = new Map(module.imports.map((fact) => [fact.local, fact.target]));
  }

  private text(range: Range): string {
    if (range.start.line === range.end.line) return (this.lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
    return (this.lines[range.start.line] ?? '').slice(range.start.character);
  }

  /** The first reason `fn`'s result depends on the request: its parameters, what its body reads, what it returns. */
  evidence(fn: FunctionFacts, depth = 0): Evidence | undefined {
    return this.parameterEvidence(fn, depth) ?? this.contextEvidence(fn) ?? this.sessionEvidence(fn);
  }

  private parameterEvidence(fn: FunctionFacts, depth: number): Evidence | undefined {
    const params = fn.className && !fn.decorators.some((decorator) => decorator.endsWith('staticmethod')) ? fn.params.slice(1) : fn.params;
    for (const param of params) {
      const found = this.parameter(param, depth);
      if (found) return found;
    }
    return undefined;
  }

  private parameter(param: Parameter, depth: number): Evidence | undefined {
    const written = this.text(param.range);
    const { annotation } = param;
    if (annotation && PER_REQUEST_TYPES.has(annotation)) return { kind: 'object', range: param.range, parameter: written, what: `${PER_REQUEST_TYPES.get(annotation)!}, a new object for every request` };
    if (annotation && isSessionType(`${annotation}()`)) return { kind: 'object', range: param.range, parameter: written, what: 'a database session, a new one for every request' };
    const dependency = DEPENDENCY.exec(written);
    if (!dependency || depth >= MAX_DEPENDENCY_DEPTH) return undefined;
    const what = this.dependencyValue(dependency[2]!, dependency[1] === 'Security', depth);
    return what && { kind: what.kind, range: param.range, parameter: written, what: what.what };
  }

  /** What a `Depends(name)` parameter receives, when that is per request. */
  private dependencyValue(name: string, security: boolean, depth: number): { kind: 'object' | 'credential'; what: string } | undefined {
    const dependency = this.module.functions.find((fn) => fn.name === name && !fn.parent && !fn.className);
    if (dependency) {
      if (isCached(dependency)) return undefined;
      if (yields(dependency)) return { kind: 'object', what: `what the yield dependency \`${name}\` makes for each request` };
      const inner = this.evidence(dependency, depth + 1);
      if (!inner) return undefined;
      return inner.kind === 'credential'
        ? { kind: 'credential', what: `what \`${name}\` derives from the request's credentials` }
        : { kind: 'object', what: `what \`${name}\` returns for each request` };
    }
    const type = this.module.state.find((state) => state.root === name && state.scope === 'module')?.valueKind;
    if (type && isSecurityScheme(type)) return { kind: 'credential', what: `the request's credentials, as \`${name}\` (\`${type.slice(type.lastIndexOf('.') + 1, -2)}\`) reads them` };
    if (/(^|_)current_\w*user$/.test(name.slice(name.lastIndexOf('.') + 1))) return { kind: 'object', what: `the current user, loaded by \`${name}\` for each request` };
    return security ? { kind: 'credential', what: `the request's credentials (\`Security(${name})\`)` } : undefined;
  }

  /** A read of the current request in `fn` or in the module's functions it calls, with the calls that lead there. */
  private contextEvidence(fn: FunctionFacts): Evidence | undefined {
    const parents = new Map<FunctionFacts, FunctionFacts | undefined>([[fn, undefined]]);
    const queue = [fn];
    while (queue.length > 0) {
      const current = queue.shift()!;
      const read = this.requestRead(current);
      if (read) {
        const through: FunctionFacts[] = [];
        for (let step: FunctionFacts | undefined = current; step && step !== fn; step = parents.get(step)) through.unshift(step);
        return { kind: 'context', ...read, through };
      }
      for (const callee of calledFunctions(current, this.index)) {
        if (parents.has(callee)) continue;
        parents.set(callee, current);
        queue.push(callee);
      }
    }
    return undefined;
  }

  private requestRead(fn: FunctionFacts): { range: Range; code: string; what: string } | undefined {
    for (const block of fn.flow.blocks) {
      for (const event of block.events) {
        if (event.kind === 'call' && event.callee === CONTEXT_VARIABLE_GET) {
          return { range: event.range, code: `${event.text}()`, what: `the context variable \`${event.receiver?.text ?? event.text}\`, set for each request` };
        }
        if (event.kind === 'call' && event.callee) {
          const proxy = [...REQUEST_PROXIES.keys()].find((name) => event.callee!.startsWith(`${name}.`));
          if (proxy) return { range: event.range, code: `${event.text}()`, what: REQUEST_PROXIES.get(proxy)! };
        }
        if (event.kind === 'read' && event.state.scope === 'module') {
          const what = REQUEST_PROXIES.get(this.imports.get(event.state.root) ?? '');
          if (what) return { range: event.range, code: event.state.text, what };
        }
      }
    }
    return undefined;
  }

  private sessionEvidence(fn: FunctionFacts): Evidence | undefined {
    const calls = new Map<number, CallEvent>();
    const events = flowEvents(fn.flow);
    for (const event of events) if (event.kind === 'call') calls.set(event.id, event);
    for (const event of events) {
      if (event.kind !== 'return') continue;
      for (const id of event.value.calls ?? []) {
        const call = calls.get(id);
        if (call && this.makesSession(call)) return { kind: 'session', range: call.range, code: call.range.start.line === call.range.end.line ? this.text(call.range) : `${call.text}(…)` };
      }
    }
    return undefined;
  }

  /** `SessionLocal()`, `Session(engine)`, `maker()` where `maker = sessionmaker(...)`; not a `scoped_session` registry. */
  private makesSession(call: CallEvent): boolean {
    const type = call.callee ? `${call.callee}()` : this.module.state.find((state) => state.root === call.text)?.valueKind?.concat('()');
    if (!type || SHARED_SESSION_REGISTRIES.has(type) || !isSessionType(type)) return false;
    const bare = type.slice(0, -2);
    return /^(sqlalchemy|sqlmodel)\./.test(type) || SESSION_FACTORY_NAME.test(bare.slice(bare.lastIndexOf('.') + 1));
  }
}

function yields(fn: FunctionFacts): boolean {
  return fn.flow.blocks.some((block) => block.events.some((event) => event.kind === 'await' && event.form === 'yield'));
}

function isCached(fn: FunctionFacts): boolean {
  return fn.decorators.some((decorator) => RESULT_CACHES.has(decorator));
}

/** How many entries the cache keeps, from the decorator as written: `up to 128 entries`. */
function capacity(decorator: string, written: string): string {
  if (decorator === 'functools.cache' || /maxsize\s*=\s*None/.test(written)) return 'every entry (it has no size limit)';
  if (!decorator.endsWith('lru_cache')) return 'as many entries as it holds';
  const size = /maxsize\s*=\s*(\d+)/.exec(written)?.[1] ?? /lru_cache\s*\(\s*(\d+)/.exec(written)?.[1];
  return `up to ${size ?? '128'} entries`;
}

/** The decorator as written: `@lru_cache(maxsize=32)`. */
function decoratorText(module: ModuleFacts, range: Range): string {
  const lines = sourceLines(module).slice(range.start.line, range.end.line + 1);
  if (lines.length === 0) return '';
  lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, range.end.character);
  lines[0] = lines[0]!.slice(range.start.character);
  return lines.join('\n');
}

/** How long an entry lasts: until it expires for a TTL cache, else as long as the process. */
function lifetime(decorator: string, written: string): string {
  return decorator.endsWith('ttl_cache') || /TTLCache|\bttl\s*=/.test(written) ? 'until the entry expires' : 'for as long as the worker process lives';
}

function report(context: RuleContext, fn: FunctionFacts, index: number, evidence: Evidence): void {
  const { module, fixes } = context;
  const decorator = fn.decorators[index]!;
  const range = fn.decoratorRanges[index]!;
  const written = decoratorText(module, range);
  const shown = RESULT_CACHES.get(decorator)!;
  const name = `\`${fn.name}\``;
  const line = `line ${lineOf(evidence.range)}`;
  let message: string;
  const related: RelatedLocation[] = [];
  switch (evidence.kind) {
    case 'object': {
      const kept = capacity(decorator, written);
      message =
        `\`${shown}\` on ${name} keys its cache on \`${evidence.parameter}\` (${line}): ${evidence.what}. A later request can never hit the entry ` +
        `an earlier one made, and the cache keeps ${kept} alive, each holding on to one request's object and everything that object references. ` +
        `Cache on values that identify the data instead (move the cached work into a function that takes only those), or drop the cache.`;
      related.push({ path: module.path, range: evidence.range, message: 'a new value for every request' });
      break;
    }
    case 'credential':
      message =
        `\`${shown}\` on ${name} keys its cache on \`${evidence.parameter}\` (${line}): ${evidence.what}. Each credential's answer is computed ` +
        `once and reused ${lifetime(decorator, written)}: an expired or revoked token, or a user whose permissions changed, keeps getting the ` +
        'cached answer. Check the credentials on every request; cache only what does not depend on them (signing keys, or a record with a short expiry).';
      related.push({ path: module.path, range: evidence.range, message: "the request's credentials" });
      break;
    case 'context': {
      const through = evidence.through.length > 0 ? ` through ${evidence.through.map((step) => `\`${step.name}()\``).join(' → ')}` : '';
      message =
        `\`${shown}\` on ${name} keeps its result ${lifetime(decorator, written)}, but the result comes from the request: it reads ` +
        `\`${evidence.code}\` (${evidence.what}, ${line})${through}. The first request decides the answer for every later one the worker serves — ` +
        "other users get the first caller's data. Pass the request's value in as an argument and cache on that, or keep it per request instead of caching.";
      related.push({ path: module.path, range: evidence.range, message: `reads the current request (${evidence.what})` });
      break;
    }
    case 'session':
      message =
        `\`${shown}\` on ${name} makes it return one database session per worker process: the \`${evidence.code}\` it returns (${line}) is created ` +
        "for the first caller and handed to every later request, which then share its transaction and loaded rows — from several threadpool threads at " +
        `once. Create a session per request, without the cache: \`def ${fn.name}(): with ${evidence.code} as session: yield session\`.`;
      related.push({ path: module.path, range: evidence.range, message: 'a new session, made once and then shared' });
      break;
  }
  const edits = fixes.removeDecorator(fn, index);
  context.report({
    message,
    range,
    related,
    ...(edits && { fix: { applicability: 'unsafe', message: `Remove \`${shown}\``, edits } }),
  });
}

export const cachedRequestData: Rule = {
  meta: {
    code: 'IL604',
    name: 'cached-request-data',
    family: 'race',
    defaultSeverity: 'warning',
    summary: "`@lru_cache`/`@cache` on a function whose result depends on the request: one request's data is kept and served to others, or the cache never hits and grows.",
    languages: ['python'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Finds functions cached for the life of the process — \`functools.lru_cache\`, \`functools.cache\`,
\`cachetools\` decorators, \`async_lru.alru_cache\`, \`aiocache.cached\` — whose result depends on
the request being served:

- a parameter is an object the framework makes for each request: \`request: Request\`, a
  \`WebSocket\`, \`BackgroundTasks\`, a database \`Session\`, or a \`Depends(...)\` whose dependency
  yields one (\`get_db\`), returns one, reads the request, or is the current user;
- a parameter holds the request's credentials: \`Depends(oauth2_scheme)\` of a FastAPI security
  scheme, \`Security(...)\`, or a dependency derived from them;
- the body (or a function of the module it calls) reads the current request through a
  context-local proxy — Flask's or Quart's \`request\`, \`g\`, \`session\`, Flask-Login's
  \`current_user\`, starlette-context's \`context\` — or a \`ContextVar\`;
- it returns a new database session (\`return SessionLocal()\`).

The finding is at the decorator. Caches of settings, clients, engines, session factories and pure
functions of their arguments (\`@lru_cache def get_settings()\`) are not reported, nor caches
given their own key function (\`key=\`, \`key_builder=\`), which decide themselves what requests
share.`,
      whyIsThisBad: `
A cache decorator keeps each result for as long as the worker process lives, keyed only by the
arguments. When the result comes from the request but the key does not, the first request a
worker serves decides the answer for every later one: other users get the first caller's tenant,
locale or permissions, and every request shares one database session — its transaction and its
loaded rows — across the threadpool's threads. When the key *is* a per-request object (the
request, a session, the current user's row), no later request can ever hit it: the cache only
grows, keeping up to \`maxsize\` requests and sessions alive, or all of them with \`@cache\`. Keyed
on a token, each token's answer outlives its expiry and revocation. None of this shows in tests,
where one request runs at a time in a fresh process.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
from functools import lru_cache

from fastapi import Depends, FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

app = FastAPI()
SessionLocal = sessionmaker(bind=create_engine("postgresql://shop@db/shop"))


@lru_cache
def get_db() -> Session:
    return SessionLocal()


@app.get("/orders/count")
def count_orders(db: Session = Depends(get_db)) -> int:
    return db.execute("select count(*) from orders").scalar_one()
`,
          good: `
from collections.abc import Iterator

from fastapi import Depends, FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

app = FastAPI()
SessionLocal = sessionmaker(bind=create_engine("postgresql://shop@db/shop"))


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


@app.get("/orders/count")
def count_orders(db: Session = Depends(get_db)) -> int:
    return db.execute("select count(*) from orders").scalar_one()
`,
        },
      ],
      fixSafety: `
The fix removes the decorator. It is **unsafe**: the function then runs on every call, which may
cost a database query or an HTTP call each time; where the cache was wanted, key it on values that
identify the data (a user id, a tenant id) in a function that takes only those, or give it an
expiry (\`cachetools.TTLCache\`). A cached function that returns a session should become a
\`yield\` dependency, which the fix does not write.`,
      whenNotToUse: `
When the per-request object is in fact shared (a session registry passed in deliberately, a
\`ContextVar\` set once at startup), suppress the line with a reason:
\`# interleave: ignore[cached-request-data] -- the context variable is set once at startup\`.`,
    },
  },
  check(context) {
    const { module } = context;
    let dependence: RequestDependence | undefined;
    for (const fn of module.functions) {
      const index = fn.decorators.findIndex((decorator) => RESULT_CACHES.has(decorator) && !(fn.isAsync && SYNC_ONLY_CACHES.has(decorator)));
      if (index < 0) continue;
      const range = fn.decoratorRanges[index];
      // A cache given its own key function (`key=`, `key_builder=`) decides itself what a request shares.
      if (!range || /\bkey(_builder)?\s*=/.test(decoratorText(module, range))) continue;
      dependence ??= new RequestDependence(module);
      const evidence = dependence.evidence(fn);
      if (evidence) report(context, fn, index, evidence);
    }
  },
};

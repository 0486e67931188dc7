import { calleeIndex } from '../../core/call-graph';
import type { CallEvent, FlowEvent, FunctionFacts, ModuleFacts, Parameter, Range } from '../../core/facts';
import { excerpt } from '../../core/source-excerpt';
import { sourceLines } from '../../core/source-lines';
import { originCalls, type Origins } from '../../core/value-origins';
import { feedingBinds, scopesAround, type FanOut } from './fan-outs';

/** A collection the client sends: what of the request it is, and the handler that receives it. */
export interface RequestInput {
  handler: FunctionFacts;
  /** As a message says it: `the request body`, `the query string`, `a message from the client`. */
  part: string;
  /** The handler as a message names it: `POST /roles/:id/users`, `the WebSocket /ws`. */
  route: string;
}

/** `router.post('/roles/:id/users', guard, async (ctx) => …)`: a registration on a router the module does not create. */
const ROUTE_REGISTRATION = /^[\w$.]+\.(get|post|put|patch|delete|all)\s*\(\s*['"`](\/[^'"`]*)/;

/** The entry point a function itself is, as the execution-context model names it (`POST /scrape`), if it is a request handler. */
export type RequestEntry = (fn: FunctionFacts) => string | undefined;

/**
 * The handler a function is, or is nested in: one the frontend knows, one the context model knows
 * as a request entry point (a Starlette endpoint registered by a `Route` in another module), or a
 * callback registered like a route on a router it could not place (a router handed in as a
 * parameter), with its method and path.
 */
function handlerOf(module: ModuleFacts, fn: FunctionFacts, entryOf: RequestEntry): { handler: FunctionFacts; route: string } | undefined {
  for (const scope of scopesAround(module, fn)) {
    if (scope.kind === 'route' || scope.kind === 'websocket') return { handler: scope, route: knownRoute(scope) };
    const entry = entryOf(scope);
    if (entry) return { handler: scope, route: `\`${entry}\`` };
    const registration = scope.passedTo && ROUTE_REGISTRATION.exec(excerpt(module, scope.passedTo.range, 200));
    if (registration) return { handler: scope, route: `\`${registration[1]!.toUpperCase()} ${registration[2]}\`` };
  }
  return undefined;
}

/** How a message names a handler the frontend knows: `POST /roles/:id/users`, or by name. */
function knownRoute(handler: FunctionFacts): string {
  if (handler.routePath) return `${handler.kind === 'websocket' ? 'the WebSocket ' : ''}\`${handler.httpMethods?.length ? `${handler.httpMethods.join('/')} ` : ''}${handler.routePath}\``;
  return handler.name === '<anonymous>' ? `the handler at line ${handler.range.start.line + 1}` : `the handler \`${handler.qualifiedName}\``;
}

/** Calls that read what the client sent: `await request.json()`, `await websocket.receive_json()`, `searchParams.getAll('id')`. */
const INPUT_READERS = /\.(json|form|formData|body|post|text|receive|receive_json|receive_text|getlist|getAll)$/;
/** The parts of a request object that the client fills, as written in the path to the collection. */
const CLIENT_PARTS = /\.(body|query|query_params|searchParams|guard|json|form|formData|post|getlist|getAll|receive_json|receive_text|receive)\b|\b(body|query)\s*:/;
const QUERY_PARTS = /\b(query|query_params|searchParams|getlist|getAll)\b/;
const MESSAGE_PARTS = /\breceive(_json|_text)?\b/;
/** Python parameters the framework fills from the request object itself, not from the client's data. */
const REQUEST_OBJECT = /(^|\.)(Request|WebSocket|HTTPConnection)$/;
/** NestJS parameter decorators that hand over what the client sent. */
const NEST_INPUT = /@(Body|Query)\s*\(/;

function textOf(module: ModuleFacts, range: Range): string {
  return excerpt(module, range, Number.POSITIVE_INFINITY);
}

/** The parameters of a handler that carry the client's data, each with what part of the request it is (undefined: it depends on the path). */
function inputParameters(module: ModuleFacts, handler: FunctionFacts): Map<string, string | undefined> {
  const params = new Map<string, string | undefined>();
  const own = module.language === 'python' && handler.className ? handler.params[0]?.name : undefined;
  for (const param of handler.params) {
    if (param.name === own) continue;
    const declared = textOf(module, param.range);
    if (module.language === 'typescript') {
      // A decorated NestJS parameter is what its decorator says; an undecorated one is Express's `req`, Koa's `ctx`, Hono's `c`.
      if (declared.includes('@')) {
        if (NEST_INPUT.test(declared)) params.set(param.name, /@Query/.test(declared) ? 'the query string' : 'the request body');
      } else params.set(param.name, undefined);
      continue;
    }
    if (/\b(Depends|Security)\s*\(/.test(declared)) continue;
    if (REQUEST_OBJECT.test(param.annotation ?? '') || /^(request|websocket|ws)$/.test(param.name)) params.set(param.name, undefined);
    else if (handler.kind === 'route' && handler.framework !== 'aiohttp') params.set(param.name, /\bQuery\s*\(/.test(declared) ? 'the query string' : 'the request body');
  }
  return params;
}

/** The project function a call runs, found by its qualified name or as a function nested where it is called. */
function isProjectCall(module: ModuleFacts, fn: FunctionFacts, call: CallEvent): boolean {
  if (call.callee && calleeIndex(module).has(call.callee)) return true;
  const scopes = new Set(scopesAround(module, fn).map((scope) => scope.id));
  return module.functions.some((candidate) => candidate.name === call.text && candidate.parent !== undefined && scopes.has(candidate.parent));
}

/**
 * Whether a fan-out's collection is data the client sent to the handler that holds it (or holds
 * the function it is nested in): a field of the body or the query string, a JSON body read with
 * `await request.json()`, a message of a WebSocket, a FastAPI body or query parameter — read as
 * it is, or filtered, mapped or split, but not produced by a query, a service or the project's
 * own code, whose size the request does not decide.
 */
export function requestInput(
  module: ModuleFacts,
  fn: FunctionFacts,
  fanOut: FanOut,
  elements: Origins,
  events: ReadonlyMap<number, FlowEvent>,
  entryOf: RequestEntry,
): RequestInput | undefined {
  const found = handlerOf(module, fn, entryOf);
  if (!found) return undefined;
  const { handler, route } = found;
  const params = inputParameters(module, handler);
  const sources = originCalls(elements, events);
  const reads = sources.filter((call) => INPUT_READERS.test(call.text) && params.has(call.receiver?.key.split('.')[0] ?? ''));
  if (sources.some((call) => !reads.includes(call) && (call.usage === 'awaited' || isProjectCall(module, fn, call)))) return undefined;
  const reached = [...elements.names].filter((name) => params.has(name));
  if (reached.length === 0) return undefined;
  const lines = sourceLines(module);
  const roots = fanOut.loop ? fanOut.loop.value.locals : (fanOut.work.call.inputs?.locals ?? []);
  const path = [textOf(module, fanOut.collection), ...feedingBinds(fn, roots).map((bind) => lines[bind.range.start.line] ?? ''), ...sources.map((call) => `${call.text}(`)].join('\n');
  const known = reached.map((name) => params.get(name)).find((part) => part !== undefined);
  if (known) return { handler, part: known, route };
  if (!CLIENT_PARTS.test(path)) return undefined;
  const part = MESSAGE_PARTS.test(path) || handler.kind === 'websocket' ? 'a message from the client' : QUERY_PARTS.test(path) ? 'the query string' : 'the request body';
  return { handler, part, route };
}

/** The names a collection goes by: its locals and the last field of its path (`ids` of `req.body.ids`). */
function collectionNames(module: ModuleFacts, fn: FunctionFacts, fanOut: FanOut): string[] {
  const roots = fanOut.loop ? fanOut.loop.value.locals : (fanOut.work.call.inputs?.locals ?? []);
  const field = /([A-Za-z_$][\w$]*)\W*$/.exec(textOf(module, fanOut.collection))?.[1];
  const names = new Set([...roots, ...feedingBinds(fn, roots).map((bind) => bind.name)]);
  if (field) names.add(field);
  return [...names];
}

function escaped(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** Comparison operators and their mirror images, for `20 < ids.length` read as `ids.length > 20`. */
const MIRRORED: Readonly<Record<string, string>> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '==': '==', '===': '===', '!=': '!=', '!==': '!==' };

/**
 * A comparison of the collection's length against a bound before the fan-out: `len(ids) > 50`,
 * `ids.length === 1`, `MAX < ids.length`. Emptiness checks (`ids.length > 0`, `len(ids) == 0`,
 * `ids.length >= 1`) bound nothing.
 */
function capsLength(module: ModuleFacts, names: readonly string[], text: string): boolean {
  const alternatives = names.map(escaped).join('|');
  const length = module.language === 'python' ? `len\\(\\s*[\\w.]*\\b(?:${alternatives})\\s*\\)` : `\\b(?:${alternatives})\\??\\.length\\b`;
  const operator = '(===?|!==?|<=|>=|<|>)';
  const operand = '([\\w$.]+)';
  const comparisons = [
    ...[...text.matchAll(new RegExp(`${length}\\s*${operator}\\s*${operand}`, 'g'))].map((match) => [match[1]!, match[2]!] as const),
    ...[...text.matchAll(new RegExp(`${operand}\\s*${operator}\\s*${length}`, 'g'))].map((match) => [MIRRORED[match[2]!]!, match[1]!] as const),
  ];
  return comparisons.some(([op, bound]) => bound !== '0' && !(bound === '1' && (op === '>=' || op === '<')));
}

/**
 * A bound the handler puts on the collection's size before the fan-out: a length check
 * (`if len(ids) > 50: raise …`, `assert(ids.length === 1)`), a schema that caps it in the route's
 * registration (zod's `.max(20)`, JSON Schema's `maxItems`), or a Pydantic model of this module
 * that caps the field (`Field(max_length=20)`, `conlist(…, max_length=20)`).
 */
export function sizeChecked(module: ModuleFacts, fn: FunctionFacts, fanOut: FanOut, input: RequestInput): boolean {
  const names = collectionNames(module, fn, fanOut);
  if (names.length === 0) return false;
  const alternatives = names.map(escaped).join('|');
  const lines = sourceLines(module);
  const site = fanOut.site.range.start;
  const before = [...lines.slice(input.handler.range.start.line, site.line), (lines[site.line] ?? '').slice(0, site.character)].join('\n');
  if (capsLength(module, names, before)) return true;
  // Within the field's own declaration: `userIds: z.array(z.string()).max(20)`, `urls: list[str] = Field(max_length=20)`.
  const schemaCap = new RegExp(`\\b(${alternatives})\\b[^,;{}\\n]*?(\\.max\\(|\\.length\\(|maxItems|max_length|max_items|conlist|\\bLen\\()`);
  const registration = input.handler.passedTo;
  if (registration && schemaCap.test(excerpt(module, { start: registration.range.start, end: input.handler.range.start }, Number.POSITIVE_INFINITY))) return true;
  return module.language === 'python' && input.handler.params.some((param) => schemaCap.test(textOf(module, param.range)) || modelCaps(module, param, schemaCap));
}

/** A Pydantic model of this module, named by a parameter's annotation, whose body caps a field. */
function modelCaps(module: ModuleFacts, param: Parameter, schemaCap: RegExp): boolean {
  const name = param.annotation?.slice(param.annotation.lastIndexOf('.') + 1);
  const model = module.classes.find((candidate) => candidate.name === name);
  if (!model) return false;
  const lines = sourceLines(module);
  const body: string[] = [];
  for (let line = model.nameRange.start.line + 1; line < lines.length; line++) {
    const text = lines[line]!;
    if (text.trim() !== '' && !/^\s/.test(text)) break;
    body.push(text);
  }
  return schemaCap.test(body.join('\n'));
}

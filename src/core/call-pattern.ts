import type { LiteralArgument } from './facts';

/**
 * Call patterns: how the catalogs and the user's settings name the calls they mean. They are
 * matched against the qualified callee names the frontends write: `time.sleep`,
 * `requests.Session().get` (a method on an instance), `builtins.open().read` (a method on what
 * `open()` returns), `pymongo.MongoClient()[].users.find_one` (an item of an instance). npm
 * packages are named as they are imported: `fs.readFileSync`, `better-sqlite3().prepare`,
 * `@prisma/client.PrismaClient`.
 *
 * - `*` matches any run of characters inside one dotted segment: `os.spawn*`, `boto3.client().*`
 * - `**` matches any run of characters, dots included: `pymongo.MongoClient()**.find_one`
 * - `{a,b}` matches either alternative: `requests.{get,post}`
 *
 * A pattern starts with a name, or with alternatives that each start with one, so that matching
 * can be keyed by it.
 */

/** Which calls a catalog or settings entry means. */
export interface CallEntry {
  /** Patterns of qualified callees. */
  calls: readonly string[];
  /** Calls the patterns cover that are harmless, e.g. `boto3.client().generate_presigned_url`. */
  except?: readonly string[];
  /**
   * Arguments that make the call harmless when written as literals: `lock.acquire(blocking=False)`,
   * `queue.get(timeout=0)`, `zlib.compress(b"...")`. Without `values`, any literal counts.
   */
  unlessLiteral?: readonly LiteralCondition[];
  /**
   * The calls matter only when the argument at `position` is a number literal of at least `value`:
   * `crypto.randomBytes(16)` is as cheap as any call, `crypto.randomBytes(8_388_608)` is not.
   */
  ifLiteralAtLeast?: { position: number; value: number };
}

export interface LiteralCondition {
  keyword?: string;
  position?: number;
  values?: readonly string[];
  /** A number literal below this: `pbkdf2_hmac("sha256", p, s, 1000)` is cheap, 600 000 rounds are not. */
  below?: number;
}

/** A leading name: a Python module or function, or an npm package (`better-sqlite3`, `@prisma/client`, `fs/promises`). */
const ROOT = /^(?:@[A-Za-z0-9_$-]+\/)?[A-Za-z_$][A-Za-z0-9_$-]*(?:\/[A-Za-z0-9_$-]+)*/;

/** The leading names a pattern can match: `os` for `os.spawn*`, `json` and `pickle` for `{json,pickle}.load`. */
function rootsOf(pattern: string): string[] {
  const alternatives = pattern.startsWith('{') ? pattern.slice(1, pattern.indexOf('}')).split(',') : [pattern];
  return alternatives.map((alternative) => ROOT.exec(alternative)?.[0] ?? '');
}

/** Why a pattern cannot be used, or undefined when it is well formed. */
export function patternProblem(pattern: string): string | undefined {
  if (/\s/.test(pattern)) return 'must not contain spaces';
  let depth = 0;
  for (const char of pattern) {
    if (char === '{') depth++;
    else if (char === '}') depth--;
    if (depth < 0 || depth > 1) return 'has unbalanced or nested braces';
  }
  if (depth !== 0) return 'has unbalanced braces';
  if (/\.\.|\.$/.test(pattern)) return 'has an empty segment';
  if (!/^[A-Za-z0-9_$@/.*{},()[\]-]+$/.test(pattern)) return 'may only contain names, `.`, `*`, `{a,b}`, `()` and `[]`';
  if (rootsOf(pattern).includes('')) return 'must start with a module or function name';
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[\\^$.|?+()[\]]/g, '\\$&');
}

function patternSource(pattern: string): string {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*' && pattern[index + 1] === '*') {
      source += '.*';
      index++;
    } else if (char === '*') {
      source += '[^.]*';
    } else if (char === '{') {
      const end = pattern.indexOf('}', index);
      const alternatives = pattern.slice(index + 1, end).split(',');
      source += `(?:${alternatives.map(patternSource).join('|')})`;
      index = end;
    } else {
      source += escape(char);
    }
  }
  return source;
}

export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^${patternSource(pattern)}$`);
}

interface CompiledEntry<T extends CallEntry> {
  entry: T;
  calls: RegExp;
  except: RegExp[];
}

/**
 * A set of entries, matched by the leading name of the callee first: a catalog of a few hundred
 * patterns is checked against every call in a project.
 */
export class CallMatcher<T extends CallEntry> {
  private readonly byRoot = new Map<string, CompiledEntry<T>[]>();

  constructor(entries: Iterable<T>) {
    for (const entry of entries) {
      const except = (entry.except ?? []).map(compilePattern);
      for (const pattern of entry.calls) {
        const compiled: CompiledEntry<T> = { entry, calls: compilePattern(pattern), except };
        for (const root of new Set(rootsOf(pattern))) {
          const list = this.byRoot.get(root);
          // Later entries (the user's) win over earlier ones (the catalog's) for the same call.
          if (list) list.unshift(compiled);
          else this.byRoot.set(root, [compiled]);
        }
      }
    }
  }

  /** The entry a call matches, unless its literal arguments make it harmless. */
  match(callee: string | undefined, literals: readonly LiteralArgument[] = []): T | undefined {
    if (!callee) return undefined;
    const root = ROOT.exec(callee)?.[0];
    for (const compiled of (root && this.byRoot.get(root)) || []) {
      if (!compiled.calls.test(callee) || compiled.except.some((pattern) => pattern.test(callee))) continue;
      if (compiled.entry.unlessLiteral?.some((condition) => satisfied(condition, literals))) return undefined;
      const { ifLiteralAtLeast } = compiled.entry;
      if (ifLiteralAtLeast && !atLeast(ifLiteralAtLeast, literals)) return undefined;
      return compiled.entry;
    }
    return undefined;
  }
}

function atLeast(condition: { position: number; value: number }, literals: readonly LiteralArgument[]): boolean {
  const literal = literals.find((candidate) => candidate.position === condition.position);
  return literal !== undefined && numberOf(literal) >= condition.value;
}

function satisfied(condition: LiteralCondition, literals: readonly LiteralArgument[]): boolean {
  return literals.some(
    (literal) =>
      ((condition.keyword !== undefined && literal.keyword === condition.keyword) ||
        (condition.position !== undefined && literal.position === condition.position)) &&
      (!condition.values || condition.values.includes(literal.value)) &&
      (condition.below === undefined || numberOf(literal) < condition.below),
  );
}

/** A string literal's text without its quotes and prefix (`"chat"`, `r'x'`) when it has no escapes; undefined for anything else. */
export function stringOf(literal: LiteralArgument): string | undefined {
  return /^[rRuU]?("""|'''|"|'|`)([^\\`$]*)\1$/.exec(literal.value)?.[2];
}

/** A literal's value as a number (`8_388_608`), or NaN. */
function numberOf(literal: LiteralArgument): number {
  return Number(literal.value.replace(/_/g, ''));
}

/** A catalog entry: the calls, what they do, and what the message tells the user to do instead. */
export interface CatalogEntry extends CallEntry {
  /** What the calls do, as a message says it: `makes a blocking HTTP request`. */
  does: string;
  /** What to do instead: "use `httpx.AsyncClient` (`await client.get(...)`)". */
  suggestion: string;
  /** The tools whose lists include these calls, for traceability: `ruff ASYNC210`. */
  origin?: readonly string[];
  /**
   * A coroutine function taking the same arguments, `module.function`: the call can be replaced
   * by awaiting it (`time.sleep(x)` → `await asyncio.sleep(x)`).
   */
  awaitableEquivalent?: { module: string; name: string };
  /** The calls open a file: what they return is read and written by `usesOpenFile` calls. */
  opensFile?: boolean;
  /**
   * The calls read or write a file object (`json.load(fh)`): in the statement or `with` block of
   * a reported `opensFile` call they are part of that finding, not findings of their own.
   */
  usesOpenFile?: boolean;
  /**
   * The calls do their I/O on the file object they are given or called on: over an in-memory
   * buffer (`zipfile.ZipFile(io.BytesIO(data))`, `json.load(io.StringIO(text))`) they do none.
   */
  inMemoryHarmless?: boolean;
  /**
   * The calls return a promise but do their work on the calling thread (WebAssembly or pure
   * JavaScript hashing): awaiting them does not take the work off the event loop.
   */
  blocksWhenAwaited?: boolean;
  /**
   * The calls make something that waits only when a \`with\` statement enters it (\`with
   * FileLock(path):\`): made anywhere else, it has not waited yet.
   */
  blocksWhenEntered?: boolean;
  /**
   * The calls usually return in microseconds — file metadata the operating system keeps cached —
   * and block for long only on a slow or network file system: a function that makes only such
   * calls is reported as information, not as a warning.
   */
  quick?: boolean;
}

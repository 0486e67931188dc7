import { CallMatcher } from './call-pattern';
import type { CallEvent, FlowEvent, FunctionFacts } from './facts';
import { FileSources } from './file-sources';
import { eventsById, valueOrigins, type Origins } from './value-origins';

/**
 * Files the code names itself by a literal file name of a small kind — a prompt, settings, template
 * or version file: `open(os.path.join(PROMPTS, name + ".txt"))`, `Path(root, "static",
 * "vendor.json")` — are small, and the operating system keeps them cached: reading or writing one
 * whole takes microseconds. Deep in a helper, IL202 leaves them alone when the file is the same on
 * every call of the site that reaches it: the path derives from no parameter but the instance, or
 * only from parameters the call passes as literals (`get_prompt("recipes.scrape")`). In an
 * `async def` itself IL201 still reports them, as Ruff does. On real code, such reads reached
 * through helpers (prompt files read before a model call, a bundled asset list) were judged of
 * little value every time.
 *
 * A path with no literal file name (`open(VOCAB_PATH)`) can name a file of any size, and so can
 * one named by what the request sends (`f"{version}.md"` of the URL's version), or one with a
 * literal of a data file (`data.csv`, `model.pkl`, `photo.jpg`): those stay reported.
 */

/** Calls that open a file by its path, or read or write one whole. */
const OPENERS = new CallMatcher([
  {
    calls: [
      '{builtins.open,io.open,codecs.open}',
      'pathlib.{Path,PosixPath,WindowsPath}().{open,read_text,read_bytes,write_text,write_bytes}',
      '{fs,fs-extra,graceful-fs}.{readFileSync,writeFileSync,appendFileSync}',
      '{jsonfile,fs-extra}.{readJsonSync,writeJsonSync,readJSONSync,writeJSONSync}',
    ],
  },
]);

/** Calls that read or write an open file, or parse or dump one as text. */
const FILE_USES = new CallMatcher([
  {
    calls: [
      '{builtins.open,io.open,codecs.open,pathlib.Path().open,pathlib.PosixPath().open}().{read,readline,readlines,write,writelines}',
      '{json,tomllib,tomli,toml}.{load,dump}',
      'yaml.{load,safe_load,full_load,dump,safe_dump}',
    ],
  },
]);

/** String literals as written in an argument: `".txt"`, `'vendor.json'`, `` `manifest.json` ``. */
const STRING_LITERAL = /(["'`])([^"'`\\\n]*)\1/g;
const SMALL_FILE = /(^|[^\s])\.(txt|json|jsonc|toml|ya?ml|ini|cfg|conf|env|md|html?|j2|jinja2?|xml|version)$|^\.[\w-]+$/i;
const DATA_FILE = /\.(db|sqlite3?|csv|tsv|parquet|feather|pkl|pickle|npy|npz|pt|pth|bin|onnx|h5|zip|tar|gz|tgz|bz2|xz|7z|pdf|docx?|xlsx?|png|jpe?g|gif|webp|mp[34]|wav|log)$/i;

/** At most this many calls are followed back from a path to what it is made of. */
const MAX_STEPS = 32;

/**
 * Whether a call opens, reads or writes a small file the code names itself, and if so the
 * parameters the file's path is made from: the file is the same on every call that passes each
 * of them a literal (or always, when there are none).
 */
export function namedSmallFile(fn: FunctionFacts, call: CallEvent): { parameters: string[] } | undefined {
  let files = fixedFilesByFunction.get(fn);
  if (!files) fixedFilesByFunction.set(fn, (files = new FixedFiles(fn)));
  if (OPENERS.match(call.callee)) return files.namedFile(call);
  if (!FILE_USES.match(call.callee)) return undefined;
  for (const source of files.sources.sourcesOf(call)) {
    const named = OPENERS.match(source.callee) ? files.namedFile(source) : undefined;
    if (named) return named;
  }
  return undefined;
}

const fixedFilesByFunction = new WeakMap<FunctionFacts, FixedFiles>();

class FixedFiles {
  readonly sources: FileSources;
  private readonly known = new Map<number, { parameters: string[] } | undefined>();
  private readonly parameters: ReadonlySet<string>;
  private events: ReadonlyMap<number, FlowEvent> | undefined;

  constructor(private readonly fn: FunctionFacts) {
    this.sources = FileSources.of(fn);
    // The instance (`self`, `cls`) is the same on every call of a method: what it holds names no new file.
    const method = fn.className !== undefined && fn.decorators.every((decorator) => !decorator.endsWith('staticmethod'));
    this.parameters = new Set((method ? fn.params.slice(1) : fn.params).map(({ name }) => name));
  }

  namedFile(call: CallEvent): { parameters: string[] } | undefined {
    if (!this.known.has(call.id)) this.known.set(call.id, this.namedPath(call));
    return this.known.get(call.id);
  }

  /** The path `call` is given, followed back through locals and calls: its literals, and the parameters it is made from. */
  private namedPath(opener: CallEvent): { parameters: string[] } | undefined {
    const origins = valueOrigins(this.fn);
    this.events ??= eventsById(this.fn);
    const literals: string[] = [];
    const parameters = new Set<string>();
    const seen = new Set<number>();
    const pending: Origins[] = [];
    const visit = (event: FlowEvent | undefined): void => {
      if (!event || !('id' in event) || seen.has(event.id) || seen.size >= MAX_STEPS) return;
      seen.add(event.id);
      if (event.kind === 'call') literals.push(...(event.positional ?? []).flatMap(literalsIn));
      const found = origins.get(event);
      if (found) pending.push(found.value, ...(found.object ? [found.object] : []));
    };
    visit(opener);
    for (let next = pending.pop(); next; next = pending.pop()) {
      for (const name of next.names) if (this.parameters.has(name)) parameters.add(name);
      for (const id of next.events.keys()) visit(this.events.get(id));
    }
    if (literals.some((literal) => DATA_FILE.test(literal)) || !literals.some((literal) => SMALL_FILE.test(literal))) return undefined;
    return { parameters: [...parameters] };
  }
}

function literalsIn(text: string): string[] {
  return [...text.matchAll(STRING_LITERAL)].map((match) => match[2]!);
}

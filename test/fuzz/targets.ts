/**
 * What the fuzz suite feeds and what it holds to. Each target is a fast-check property over one of
 * Interleave's inputs — Python and TypeScript source, configuration files, LSP framing — with
 * generators that mix token soups of the language, mutated fixture files, raw strings and deep
 * repetitions. A property fails on a crash (any error but the ones that report the input), a hang
 * (the analysis overrunning a budget no small input should need) or a silent pass (input with a
 * syntax error analysed with no error region to show for it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { BudgetExceeded, withBudget } from '../../src/core/budget';
import { ConfigError, resolveConfig } from '../../src/core/config';
import { parseJsonSettings, parseTomlSettings } from '../../src/core/config-file';
import { checkModule, type ParsedModule } from '../../src/core/engine';
import { NotAnalysable } from '../../src/core/not-analysed';
import { extractFacts } from '../../src/python/frontend';
import { parsePython } from '../../src/python/parser';
import { RULES } from '../../src/rules';
import { FrameParser, FramingError } from '../../src/server/message-framing';
import { loadTypeScript } from '../../src/typescript/compiler';
import { extractTypeScriptFacts, parseTypeScript } from '../../src/typescript/frontend';

const METAS = RULES.map((rule) => rule.meta);
const CONFIG = resolveConfig([], METAS);
/** No input of a few kilobytes needs this long; one that does has hit a blow-up. */
const BUDGET_MS = 5_000;

/** How one input fared: analysed, or reported as not analysable (which is not a failure). */
export type Verdict = 'analysed' | 'not-analysed';

function check(parsed: ParsedModule): void {
  const report = withBudget(BUDGET_MS, () => checkModule(parsed, { rules: RULES, config: CONFIG, project: {} }));
  if (report.problems.length > 0) throw new Error(`a rule crashed:\n${report.problems.join('\n')}`);
}

/** Runs a frontend step, turning what reports the input into a verdict and a budget overrun into a hang. */
function reported(step: () => void): Verdict {
  try {
    step();
    return 'analysed';
  } catch (error) {
    if (error instanceof NotAnalysable) return 'not-analysed';
    if (error instanceof BudgetExceeded) throw new Error(`hang: ${error.message} on a small input`, { cause: error });
    throw error;
  }
}

export function analysePythonInput(source: string): Verdict {
  return reported(() => {
    const tree = withBudget(BUDGET_MS, () => parsePython(source));
    try {
      const parsed = withBudget(BUDGET_MS, () => extractFacts(tree, source, 'fuzz.py', 'fuzz'));
      if (tree.rootNode.hasError && parsed.facts.syntaxErrors.length === 0) throw new Error('silent pass: the tree has errors and the facts none');
      check(parsed);
    } finally {
      tree.delete();
    }
  });
}

export function analyseTypeScriptInput(source: string): Verdict {
  return reported(() => {
    const ts = loadTypeScript();
    const sourceFile = withBudget(BUDGET_MS, () => parseTypeScript(ts, source, 'fuzz.ts'));
    const parsed = withBudget(BUDGET_MS, () => extractTypeScriptFacts({ ts, sourceFile, moduleName: 'fuzz' }));
    const diagnostics = (sourceFile as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics;
    if (diagnostics.length > 0 && parsed.facts.syntaxErrors.length === 0) throw new Error('silent pass: the parser reported errors and the facts none');
    check(parsed);
  });
}

/** A configuration file either gives settings or a ConfigError naming the file; nothing else escapes. */
export function loadConfigInput(input: { text: string; format: 'toml' | 'json' }): Verdict {
  try {
    if (input.format === 'toml') parseTomlSettings(input.text, 'interleave.toml', 'root', METAS);
    else parseJsonSettings(input.text, 'package.json', METAS);
    return 'analysed';
  } catch (error) {
    if (error instanceof ConfigError && error.file !== undefined) return 'not-analysed';
    throw error;
  }
}

/** The framing reader either yields message objects or stops with a FramingError; fed in any chunking. */
export function readFramesInput(chunks: readonly Uint8Array[]): Verdict {
  const parser = new FrameParser();
  try {
    for (const chunk of chunks) {
      for (const message of parser.push(chunk)) {
        if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new Error('a message that is not an object');
      }
    }
    return 'analysed';
  } catch (error) {
    if (error instanceof FramingError) return 'not-analysed';
    throw error;
  }
}

// ---------------------------------------------------------------------------------- generators

const PYTHON_TOKENS = [
  'async ', 'def ', 'await ', 'if ', 'elif ', 'else', 'for ', 'while ', 'with ', 'try', 'except ', 'finally', 'return ', 'lambda ',
  'class ', 'global ', 'nonlocal ', 'import ', 'from ', ' as ', 'yield ', 'del ', 'match ', 'case ', 'pass', 'break', 'continue',
  'x', 'y', 'STATE', 'COUNTS[k]', 'self.count', 'app', 'router', 'request', '@app.get("/")', '@lru_cache', '@router.post("/x")',
  '(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '+=', '-=', '+', '-', '*', '**', '/', '%', '<', '>=', '==', ' not ', ' in ', ' is ',
  '"s"', "'t'", '"""', "'''", 'f"{x}"', 'b"\\x00"', '`', '\\', '\n', '\r\n', '\r', '    ', '  ', '\t', '#', '# interleave: ignore[IL101]',
  '0', '1.5', ';', '...', 'None', 'True', 'asyncio.gather(', 'time.sleep(1)', 'requests.get(u)', 'asyncio.create_task(', 'asyncio.run(',
  'threading.Lock()', 'asyncio.Lock()', 'async with lock:', '.with_for_update()', 'session.commit()', 'httpx.AsyncClient()', 'FastAPI()',
  'é', '\u{1F600}', '\u00a0', '\u2028', '\0', '\ufeff',
];

const TYPESCRIPT_TOKENS = [
  'async ', 'function ', 'await ', 'if ', 'else ', 'for ', 'of ', 'while ', 'try ', 'catch ', 'finally ', 'return ', 'class ', 'const ',
  'let ', 'var ', 'import ', 'export ', 'from ', 'new ', 'this', 'static ', 'yield ', 'switch ', 'case ', 'default:', 'break;', 'typeof ',
  'x', 'y', 'state', 'counts[k]', 'this.count', 'app', 'router', 'req', 'res', 'app.get("/", ', 'express()', 'Promise.all(', '.map(',
  '(', ')', '[', ']', '{', '}', '<', '>', '=>', ':', ';', ',', '.', '?.', '??', '=', '+=', '++', '+', '-', '*', '/', '!', '&&', '||',
  '"s"', "'t'", '`', '`${', '${x}', '/re/', '//', '/*', '*/', '\n', '\r\n', '  ', '\t', '// interleave-ignore IL101', '@', '@{}',
  '0', '1n', '0x1f', 'null', 'undefined', 'fs.readFileSync(p)', 'setTimeout(', 'new Pool()', 'async () => {', '</div>', '<div>',
  'é', '\u{1F600}', '\u2028', '\0', '\ufeff',
];

/** Every fixture of a language: real-looking code for mutations to start from. */
function fixtureSources(extensions: readonly string[]): string[] {
  const root = join(__dirname, '..', 'fixtures');
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (extensions.some((extension) => entry.name.endsWith(extension))) found.push(path);
    }
  };
  walk(root);
  // In a fixed order, so a seed names the same inputs on every machine.
  return found.sort().map((path) => readFileSync(path, 'utf8'));
}

/**
 * A small seeded generator (mulberry32). Soups and mutations are expanded from a seed and a size
 * that fast-check draws: drawing each token through fast-check costs more than analysing it, and a
 * million inputs must stay a matter of minutes. Shrinking then shortens the size.
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function tokenSoup(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.integer(), fc.nat({ max: 80 })).map(([seed, length]) => {
    const random = seededRandom(seed);
    let text = '';
    for (let index = 0; index < length; index++) text += tokens[Math.floor(random() * tokens.length)];
    return text;
  });
}

/** A fixture with a few tokens inserted and spans deleted at random places. */
function mutatedFixture(fixtures: readonly string[], tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.integer(), fc.nat({ max: fixtures.length - 1 }), fc.integer({ min: 1, max: 8 })).map(([seed, index, edits]) => {
    const random = seededRandom(seed);
    let text = fixtures[index]!;
    for (let edit = 0; edit < edits; edit++) {
      const position = Math.floor(random() * text.length);
      const remove = Math.floor(random() * 13);
      text = text.slice(0, position) + tokens[Math.floor(random() * tokens.length)] + text.slice(position + remove);
    }
    return text;
  });
}

/** One token repeated, around a core: nesting as deep as the input likes. */
function deepRepetition(openers: readonly [string, string][]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...openers), fc.integer({ min: 50, max: 600 }))
    .map(([[open, close], depth]) => `x = ${open.repeat(depth)}1${close.repeat(depth)}\n`);
}

function sourceArbitrary(tokens: readonly string[], fixtures: readonly string[], openers: readonly [string, string][]): fc.Arbitrary<string> {
  const soup = tokenSoup(tokens);
  // Weighted for throughput: a soup takes a fraction of a millisecond, a whole fixture several and
  // a deep nest tens, so a million inputs stay a matter of minutes and still meet every kind often.
  return fc.oneof(
    { weight: 120, arbitrary: soup },
    { weight: 6, arbitrary: mutatedFixture(fixtures, tokens) },
    { weight: 40, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: deepRepetition(openers) },
  );
}

export function pythonSources(): fc.Arbitrary<string> {
  return sourceArbitrary(PYTHON_TOKENS, fixtureSources(['.py']), [['(', ')'], ['[', ']'], ['{', '}'], ['-', ''], ['not ', ''], ['await ', ''], ['lambda: ', '']]);
}

export function typeScriptSources(): fc.Arbitrary<string> {
  return sourceArbitrary(TYPESCRIPT_TOKENS, fixtureSources(['.ts', '.js', '.tsx']), [['(', ')'], ['[', ']'], ['{a:', '}'], ['!', ''], ['await ', ''], ['() => ', '']]);
}

const CONFIG_KEYS = [
  'select', 'ignore', 'extend-select', 'exclude', 'extend-exclude', 'workers', 'severity', 'blocking-calls', 'cpu-bound-calls',
  'offload-wrappers', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf', 'IL101', 'await-race', 'x.y',
];
const CONFIG_VALUES = ['"IL1"', '["IL101"]', '["ALL", "IL9"]', '4', '0', '-1', '1.5', 'true', '"error"', '"loud"', '{}', '[]', '{ a = 1 }', '"vendor.*"'];

/** TOML and package.json text: keys Interleave knows and prototype keys, values of every type, deep nesting. */
export function configInputs(): fc.Arbitrary<{ text: string; format: 'toml' | 'json' }> {
  const key = fc.oneof(fc.constantFrom(...CONFIG_KEYS), fc.string({ maxLength: 8 }));
  const tomlLine = fc.oneof(
    fc.tuple(key, fc.constantFrom(...CONFIG_VALUES)).map(([name, value]) => `${JSON.stringify(name)} = ${value}`),
    key.map((name) => `[${JSON.stringify(name)}]`),
    fc.integer({ min: 1, max: 6_000 }).map((depth) => `select = ${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.string({ maxLength: 40 }),
  );
  const toml = fc.array(tomlLine, { maxLength: 12 }).map((lines) => ({ text: lines.join('\n'), format: 'toml' as const }));
  const jsonValue = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('IL1', 'IL101', 'error', 'loud', 'ALL', 4, 0, -1, 1.5, true, null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
  const json = fc.oneof(
    fc.dictionary(key, jsonValue, { maxKeys: 6 }).map((settings) => `{"name": "app", "interleave": ${JSON.stringify(settings)}}`),
    fc.integer({ min: 1, max: 6_000 }).map((depth) => `{"interleave": {"select": ${'['.repeat(depth)}${']'.repeat(depth)}}}`),
    fc.string({ maxLength: 80 }),
  ).map((text) => ({ text, format: 'json' as const }));
  return fc.oneof(toml, json);
}

/** Byte streams for the LSP reader: well-formed frames, broken headers and bodies, split at random points. */
export function frameStreams(): fc.Arbitrary<Uint8Array[]> {
  const body = fc.oneof(
    fc.constant('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'),
    fc.constant('{"jsonrpc":"2.0","method":"exit"}'),
    fc.json(),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  const frame = fc.oneof(
    body.map((text) => `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`),
    fc.tuple(fc.oneof(fc.integer({ min: -5, max: 1_000_000_000_000 }).map(String), fc.string({ maxLength: 12 })), body).map(
      ([length, text]) => `Content-Length: ${length}\r\n\r\n${text}`,
    ),
    body.map((text) => `Content-Type: application/vscode-jsonrpc\r\n\r\n${text}`),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  return fc
    .tuple(fc.array(frame, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }))
    .map(([frames, cuts]) => {
      const bytes = Buffer.from(frames.join(''), 'utf8');
      const points = [...new Set(cuts.map((cut) => (bytes.length === 0 ? 0 : cut % bytes.length)))].sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let from = 0;
      for (const point of [...points, bytes.length]) {
        chunks.push(bytes.subarray(from, point));
        from = point;
      }
      return chunks;
    });
}

/** A fuzz target: what to generate, and the check each input must pass. */
export interface FuzzTarget<T> {
  inputs(): fc.Arbitrary<T>;
  run(input: T): Verdict;
}

function target<T>(inputs: () => fc.Arbitrary<T>, run: (input: T) => Verdict): FuzzTarget<T> {
  return { inputs, run };
}

/** The targets by name, as `npm run fuzz` and the brief run in `npm test` run them. */
export const TARGETS = {
  python: target(pythonSources, analysePythonInput),
  typescript: target(typeScriptSources, analyseTypeScriptInput),
  config: target(configInputs, loadConfigInput),
  'lsp-framing': target(frameStreams, readFramesInput),
};

export type TargetName = keyof typeof TARGETS;

/** The frontends: the targets `npm run fuzz` spends its inputs on unless told otherwise. */
export const FRONTEND_TARGETS: readonly TargetName[] = ['python', 'typescript'];

/**
 * Pure readers of deployment files: how many worker processes and replicas they run the app
 * with, and the server command lines they contain. No I/O: `deployment.ts` finds and reads the
 * files. IL601/IL602 reuse the command lines (`workerClass`, `reload`).
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type {
  DeploymentFile,
  DeploymentFileFacts,
  DeploymentFileKind,
  DeploymentFileReading,
  DeploymentSetting,
  Located,
  ServerCommand,
  ServerName,
  WorkerCount,
} from '../core/deployment-facts';
import type { Comment, Language } from '../core/facts';
import type { WorkerSetting } from '../core/hazard';

export type { DeploymentFileFacts, DeploymentFileReading, DeploymentSetting, Located, ServerCommand, ServerName, WorkerCount };

const SERVERS: readonly ServerName[] = ['gunicorn', 'uvicorn', 'hypercorn', 'fastapi'];
const CPUS_ASSUMED = 2;

// ---------------------------------------------------------------- counts

interface Evaluation {
  value: number;
  usesCpus: boolean;
  environment?: string;
}

/**
 * Evaluates the arithmetic a Python config or a shell computes a worker count with:
 * numbers, `+ - * / //`, parentheses, `cpu_count()` / `nproc`, `int(…)`, `min`/`max`, and
 * `os.environ.get("NAME", default)` / `os.getenv(…)` (their default).
 */
class CountExpression {
  private index = 0;
  private readonly tokens: string[];
  /** The last string argument seen: the variable name of `os.environ.get("NAME", 4)`. */
  private lastString: string | undefined;

  constructor(text: string) {
    this.tokens = text.match(/\d+(?:\.\d+)?|"[^"]*"|'[^']*'|[A-Za-z_][\w.]*|\/\/|\*\*|[-+*/(),[\]]/g) ?? [];
  }

  evaluate(): Evaluation | undefined {
    try {
      const result = this.sum();
      return this.index === this.tokens.length ? result : undefined;
    } catch {
      return undefined;
    }
  }

  private peek(): string | undefined {
    return this.tokens[this.index];
  }

  private take(expected?: string): string {
    const token = this.tokens[this.index++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected ${expected ?? 'a token'}`);
    return token;
  }

  private sum(): Evaluation {
    let left = this.product();
    while (this.peek() === '+' || this.peek() === '-') {
      const operator = this.take();
      const right = this.product();
      left = combine(left, right, operator === '+' ? left.value + right.value : left.value - right.value);
    }
    return left;
  }

  private product(): Evaluation {
    let left = this.factor();
    while (this.peek() === '*' || this.peek() === '/' || this.peek() === '//') {
      const operator = this.take();
      const right = this.factor();
      if (operator !== '*' && right.value === 0) throw new Error('division by zero');
      const value = operator === '*' ? left.value * right.value : operator === '//' ? Math.floor(left.value / right.value) : left.value / right.value;
      left = combine(left, right, value);
    }
    return left;
  }

  private factor(): Evaluation {
    const token = this.take();
    if (token === '-') {
      const inner = this.factor();
      return { ...inner, value: -inner.value };
    }
    if (token === '(') {
      const inner = this.sum();
      this.take(')');
      return inner;
    }
    if (/^\d/.test(token)) return { value: Number(token), usesCpus: false };
    if (/^["']/.test(token)) {
      const inner = token.slice(1, -1).trim();
      if (!/^\d+$/.test(inner)) throw new Error('not a number');
      return { value: Number(inner), usesCpus: false };
    }
    const name = token.split('.').pop()!;
    if (name === 'nproc' && this.peek() !== '(') return { value: CPUS_ASSUMED, usesCpus: true };
    const args = this.arguments();
    if (name === 'cpu_count' || name === 'nproc' || name === 'process_cpu_count') return { value: CPUS_ASSUMED, usesCpus: true };
    if ((name === 'int' || name === 'round' || name === 'float') && args.length >= 1) return args[0]!;
    if ((name === 'max' || name === 'min') && args.length >= 1) {
      const pick = args.reduce((best, next) => ((name === 'max' ? next.value > best.value : next.value < best.value) ? next : best));
      return { ...pick, usesCpus: args.some((arg) => arg.usesCpus) };
    }
    if ((token.endsWith('environ.get') || token.endsWith('getenv')) && args.length === 2) return { ...args[1]!, environment: this.lastString };
    throw new Error(`unknown function ${token}`);
  }

  private arguments(): Evaluation[] {
    this.take('(');
    const args: Evaluation[] = [];
    while (this.peek() !== ')') {
      const token = this.peek();
      if (token !== undefined && /^["']/.test(token) && !/^["']\s*\d+\s*["']$/.test(token)) {
        this.lastString = token.slice(1, -1);
        this.take();
        args.push({ value: Number.NaN, usesCpus: false });
      } else {
        args.push(this.sum());
      }
      if (this.peek() === ',') this.take();
      else break;
    }
    this.take(')');
    return args;
  }
}

function combine(left: Evaluation, right: Evaluation, value: number): Evaluation {
  return { value, usesCpus: left.usesCpus || right.usesCpus, environment: left.environment ?? right.environment };
}

/** A count from a Python expression (`multiprocessing.cpu_count() * 2 + 1`) or a number. */
export function countFromExpression(expression: string, unit = 'workers'): WorkerCount | undefined {
  const text = expression.trim();
  if (/^\d+$/.test(text)) return { count: Number(text) };
  const evaluation = new CountExpression(text).evaluate();
  if (!evaluation || !Number.isFinite(evaluation.value) || evaluation.value < 1) return undefined;
  const count = Math.floor(evaluation.value);
  if (evaluation.usesCpus) return { count: Math.max(2, count), description: `\`${text}\` ${unit} (scales with the CPUs)` };
  if (evaluation.environment) return { count, description: `$${evaluation.environment} ${unit} (default ${count})` };
  return { count };
}

/** A count from a shell word: `4`, `${WEB_CONCURRENCY:-4}`, `$(nproc)`, `$((2 * $(nproc) + 1))`. */
export function countFromShellWord(word: string): WorkerCount | undefined {
  const text = word.trim();
  if (/^\d+$/.test(text)) return { count: Number(text) };
  const withDefault = /^\$\{(\w+):?-(\d+)\}$/.exec(text);
  if (withDefault) return { count: Number(withDefault[2]), description: `$${withDefault[1]} workers (default ${withDefault[2]})` };
  const arithmetic = /^\$\(\((.*)\)\)$/.exec(text)?.[1] ?? /^\$\((nproc)\)$/.exec(text)?.[1];
  if (arithmetic) {
    const evaluation = new CountExpression(arithmetic.replace(/\$\(nproc\)/g, 'nproc').replace(/\$\{?(\w+)\}?/g, '$1')).evaluate();
    if (evaluation?.usesCpus && Number.isFinite(evaluation.value)) {
      return { count: Math.max(2, Math.floor(evaluation.value)), description: `\`${text}\` workers (scales with the CPUs)` };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- command lines

/** Shell words, with quotes removed; `&&`, `||`, `;`, `|` come out as words of their own. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let index = 0; index < command.length; index++) {
    const char = command[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < command.length) current += command[++index];
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === '\\' && index + 1 < command.length) {
      current += command[++index];
      started = true;
    } else if (/\s/.test(char)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else if (char === ';' || char === '|' || char === '&') {
      if (started) words.push(current);
      const double = command[index + 1] === char && char !== ';';
      words.push(double ? char + char : char);
      if (double) index++;
      current = '';
      started = false;
    } else if (char === '#' && !started) {
      break;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

const SEPARATORS = new Set([';', '&&', '||', '|', '&']);

/** The server invocations in a command, e.g. `exec gunicorn -w 4 app.main:app`. */
export function parseServerCommands(command: string, where: Omit<Located, 'text'>): ServerCommand[] {
  const words = shellWords(command);
  const commands: ServerCommand[] = [];
  for (let index = 0; index < words.length; index++) {
    const server = serverAt(words, index);
    if (!server) continue;
    let end = index + 1;
    while (end < words.length && !SEPARATORS.has(words[end]!)) end++;
    const args = words.slice(index + 1, end);
    commands.push({ ...where, text: command.trim(), server, args, ...serverOptions(server, args) });
    index = end;
  }
  return commands;
}

/** Words after which the next word is the program that runs: `exec`, `python -m`, `poetry run`, `ddtrace-run`. */
const LAUNCHERS = /^(exec|nohup|time|sudo|env|dumb-init|tini|ddtrace-run|opentelemetry-instrument|run-program|run|-m|--)$/;

/** `gunicorn`, `/usr/local/bin/uvicorn` or `python -m gunicorn` in command position (not `pip install gunicorn`). */
function serverAt(words: readonly string[], index: number): ServerName | undefined {
  const name = words[index]!.split('/').pop()!;
  if (!(SERVERS as readonly string[]).includes(name)) return undefined;
  // The FastAPI CLI serves with `fastapi run` and `fastapi dev`; its other commands do not.
  if (name === 'fastapi' && words[index + 1] !== 'run' && words[index + 1] !== 'dev') return undefined;
  const previous = words[index - 1];
  const commandPosition =
    previous === undefined || SEPARATORS.has(previous) || LAUNCHERS.test(previous.split('/').pop()!) || /^\w+=/.test(previous);
  return commandPosition ? (name as ServerName) : undefined;
}

/** `app.main:app`, `app.main:create_app()`: a module path and an attribute (not a `host:port` bind). */
const APPLICATION = /^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(\(.*\))?$/;

function serverOptions(server: ServerName, args: readonly string[]): Pick<ServerCommand, 'workers' | 'workerClass' | 'reload' | 'preload' | 'config' | 'application'> {
  let workers: WorkerCount | undefined;
  let workerClass: string | undefined;
  let reload = false;
  let preload = false;
  let config: string | undefined;
  let application: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++index] ?? '';
    if (flag === '--workers' || (flag === '-w' && server !== 'uvicorn')) {
      workers = countFromShellWord(value()) ?? workers;
    } else if (server !== 'uvicorn' && /^-w\S+$/.test(flag)) {
      workers = countFromShellWord(flag.slice(2)) ?? workers;
    } else if (flag === '--worker-class' || flag === '-k') {
      workerClass = value();
    } else if (server === 'gunicorn' && /^-k\S+$/.test(flag)) {
      workerClass = flag.slice(2);
    } else if (flag === '--reload' || (server === 'fastapi' && index === 0 && flag === 'dev')) {
      // `fastapi dev` is `fastapi run --reload`.
      reload = true;
    } else if (server === 'gunicorn' && flag === '--preload') {
      preload = true;
    } else if (server === 'gunicorn' && (flag === '-c' || flag === '--config')) {
      config = value();
    } else if (!arg.startsWith('-') && APPLICATION.test(arg)) {
      application ??= arg;
    }
  }
  return { workers, workerClass, reload, ...(preload && { preload }), ...(config !== undefined && { config }), ...(application !== undefined && { application }) };
}

// ---------------------------------------------------------------- line-based files

/** Logical lines: a trailing backslash continues a line. Each with the range of physical lines. */
function logicalLines(text: string): { text: string; line: number; endLine: number }[] {
  const physical = text.split(/\r?\n|\r/);
  const lines: { text: string; line: number; endLine: number }[] = [];
  for (let index = 0; index < physical.length; index++) {
    const start = index;
    let joined = physical[index]!;
    while (/\\\s*$/.test(joined) && index + 1 < physical.length) joined = `${joined.replace(/\\\s*$/, '')} ${physical[++index]!}`;
    lines.push({ text: joined, line: start, endLine: index });
  }
  return lines;
}

const WEB_CONCURRENCY = /\bWEB_CONCURRENCY\s*[= ]\s*["']?(\$\{[^}]+\}|\$\(\(?.*?\)?\)|\d+)["']?/;
const GUNICORN_CMD_ARGS = /\bGUNICORN_CMD_ARGS\s*[= ]\s*(?:"([^"]*)"|'([^']*)'|(\S+))/;

/** `WEB_CONCURRENCY=4` and `GUNICORN_CMD_ARGS="-k …"` set in a shell line, a Dockerfile `ENV` or a Procfile. */
function environmentAssignments(text: string, where: Omit<Located, 'text'>): DeploymentSetting[] {
  const settings: DeploymentSetting[] = [];
  const match = WEB_CONCURRENCY.exec(text);
  if (match) settings.push({ ...where, text: text.trim(), name: 'WEB_CONCURRENCY', value: match[1]!, processes: countFromShellWord(match[1]!) });
  const args = GUNICORN_CMD_ARGS.exec(text);
  if (args) settings.push({ ...where, text: text.trim(), name: 'GUNICORN_CMD_ARGS', value: args[1] ?? args[2] ?? args[3] ?? '' });
  return settings;
}

/** Names of stages, services and targets that are for development. */
const DEVELOPMENT_NAME = /(^|[._-])(dev|devel|develop|development|local|test|tests|testing|debug|watch)([._-]|$)/i;

/**
 * A Dockerfile: the final stage's `CMD`/`ENTRYPOINT` (shell or JSON form) and `ENV WEB_CONCURRENCY`
 * / `GUNICORN_CMD_ARGS`; a final stage named for development (`FROM base AS dev`) marks them so.
 */
export function parseDockerfile(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  let developmentStage = false;
  for (const logical of logicalLines(text)) {
    const match = /^\s*(FROM|CMD|ENTRYPOINT|ENV)\s+(.*)$/i.exec(logical.text);
    if (!match) continue;
    const instruction = match[1]!.toUpperCase();
    const where = { line: logical.line, endLine: logical.endLine, ...(developmentStage && { development: true }) };
    if (instruction === 'FROM') {
      // Only the last stage runs; commands of build stages do not.
      facts.commands = [];
      facts.settings = [];
      developmentStage = DEVELOPMENT_NAME.test(/\sAS\s+(\S+)/i.exec(match[2]!)?.[1] ?? '');
    } else if (instruction === 'CMD' || instruction === 'ENTRYPOINT') {
      const command = execFormCommand(match[2]!) ?? match[2]!;
      facts.commands.push(...parseServerCommands(command, where).map((parsed) => ({ ...parsed, text: logical.text.trim() })));
    } else if (instruction === 'ENV') {
      facts.settings.push(...environmentAssignments(match[2]!, where).map((setting) => ({ ...setting, text: logical.text.trim() })));
    }
  }
  return facts;
}

/** `["gunicorn", "-w", "4"]` → `gunicorn -w 4`, quoting words with spaces; undefined for shell form. */
function execFormCommand(argument: string): string | undefined {
  const trimmed = argument.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const words: unknown = JSON.parse(trimmed);
    if (!Array.isArray(words) || !words.every((word): word is string => typeof word === 'string')) return undefined;
    // `["sh", "-c", "gunicorn …"]` runs its last word as a shell command.
    if (words.length >= 3 && /(^|\/)(ba|da|z)?sh$/.test(words[0]!) && words[1] === '-c') return words.slice(2).join(' ');
    return words.map((word) => (/\s/.test(word) ? `'${word}'` : word)).join(' ');
  } catch {
    return undefined;
  }
}

/** A Procfile: `web: gunicorn app.main:app -w 4`. */
export function parseProcfile(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  text.split(/\r?\n|\r/).forEach((line, index) => {
    const match = /^\s*([\w-]+)\s*:\s*(.+)$/.exec(line);
    if (!match) return;
    const where = { line: index, endLine: index };
    facts.commands.push(...parseServerCommands(match[2]!, where).map((command) => ({ ...command, text: line.trim() })));
    facts.settings.push(...environmentAssignments(match[2]!, where));
  });
  return facts;
}

/** A shell script: server invocations and `WEB_CONCURRENCY=…` assignments, comments skipped. */
export function parseShellScript(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  for (const logical of logicalLines(text)) {
    if (/^\s*#/.test(logical.text)) continue;
    const where = { line: logical.line, endLine: logical.endLine };
    facts.commands.push(...parseServerCommands(logical.text, where));
    facts.settings.push(...environmentAssignments(logical.text, where));
  }
  return facts;
}

/** Makefile targets whose names say they run production: the others are developer tooling. */
const PRODUCTION_TARGET = /(^|[._-])(prod|production|deploy|release|serve-prod|start-prod)([._-]|$)/i;

/**
 * A Makefile: server invocations in recipes, each in the group of its target (`target run`), and
 * marked for development unless the target's name says production (`prod`, `deploy`).
 */
export function parseMakefile(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  let target: string | undefined;
  for (const logical of logicalLines(text)) {
    const rule = /^([A-Za-z0-9_.%/-][\w.%/ -]*?)\s*::?(?!=)/.exec(logical.text);
    if (rule && !logical.text.startsWith('\t')) {
      target = rule[1]!.trim().split(/\s+/)[0];
      continue;
    }
    if (!logical.text.startsWith('\t') || target === undefined || target.startsWith('.')) continue;
    const recipe = logical.text.replace(/^\t[@+-]*/, '');
    if (/^\s*#/.test(recipe)) continue;
    const where = { line: logical.line, endLine: logical.endLine, group: `target ${target}`, ...(!PRODUCTION_TARGET.test(target) && { development: true }) };
    facts.commands.push(...parseServerCommands(recipe, where).map((parsed) => ({ ...parsed, text: logical.text.trim() })));
  }
  return facts;
}

/**
 * A gunicorn config file (`gunicorn.conf.py`): top-level `workers`, `worker_class`, `reload`,
 * `preload_app` and `wsgi_app` assignments, `workers` evaluated when it is arithmetic over `cpu_count()` or an environment
 * variable's default.
 */
export function parseGunicornConfig(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  for (const logical of logicalLines(text)) {
    const match = /^(workers|worker_class|reload|preload_app|wsgi_app)\s*(?::\s*[\w.[\]]+\s*)?=\s*(.+?)\s*(#.*)?$/.exec(logical.text);
    if (!match) continue;
    const name = match[1] as 'workers' | 'worker_class' | 'reload' | 'preload_app' | 'wsgi_app';
    const value = match[2]!;
    const where = { line: logical.line, endLine: logical.endLine, text: logical.text.trim() };
    facts.settings.push({ ...where, name, value: unquote(value), ...(name === 'workers' && { processes: countFromExpression(value), language: 'python' as const }) });
  }
  return facts;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `uvicorn.run("app.main:app", workers=4)` and `uvicorn.Config(app, workers=4)` in Python source. */
export function parseUvicornRun(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  const lines = text.split('\n');
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  for (const call of text.matchAll(/\buvicorn\s*\.\s*(run|Config)\s*\(/g)) {
    const open = call.index + call[0].length;
    const close = closingParenthesis(text, open);
    if (close < 0) continue;
    const args = text.slice(open, close);
    const workers = /\bworkers\s*=\s*([^,)\n]+(?:\([^)]*\))?[^,)\n]*)/.exec(args);
    const reload = /\breload\s*=\s*True\b/.test(args);
    const line = lineOf(call.index);
    const workerLine = workers ? lineOf(open + workers.index) : line;
    const where = { line: workerLine, endLine: workerLine, text: (lines[workerLine] ?? '').trim() };
    if (workers) facts.settings.push({ ...where, name: 'workers', value: workers[1]!.trim(), processes: countFromExpression(workers[1]!), language: 'python' });
    if (reload) facts.settings.push({ line, endLine: line, text: where.text, name: 'reload', value: 'True' });
  }
  return facts;
}

// ---------------------------------------------------------------- Node process managers

/** PM2's `instances`: a number, or `max`/`0`/`-1` for one process per CPU. */
function pm2Instances(value: string): WorkerCount | undefined {
  const text = unquote(value.trim());
  if (text === 'max' || text === '0' || text === '-1') return { count: CPUS_ASSUMED, description: 'one PM2 instance per CPU' };
  return /^\d+$/.test(text) ? { count: Number(text), description: `${text} PM2 instances` } : undefined;
}

/**
 * A PM2 ecosystem file (`ecosystem.config.js`, `pm2.json`, `process.yml`): each app's
 * `instances`, the processes PM2 runs it in (in cluster mode, or forked).
 */
export function parsePm2Config(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  const lines = text.split(/\r?\n|\r/);
  lines.forEach((line, index) => {
    const match = /(?:^|[\s{,])["']?instances["']?\s*[:=]\s*("[^"]*"|'[^']*'|-?\d+|max)/.exec(line);
    if (!match) return;
    facts.settings.push({ line: index, endLine: index, text: line.trim(), name: 'workers', value: unquote(match[1]!), processes: pm2Instances(match[1]!), language: 'typescript' });
  });
  // An app without `instances` runs in one process: PM2's default.
  const script = lines.findIndex((line) => /(?:^|[\s{,])["']?script["']?\s*[:=]/.test(line));
  if (facts.settings.length === 0 && script >= 0) {
    facts.settings.push({ line: script, endLine: script, text: lines[script]!.trim(), name: 'workers', value: '1', processes: { count: 1, description: 'one PM2 process' }, language: 'typescript' });
  }
  return facts;
}

/** `pm2 start app.js -i 4` / `pm2-runtime start server.js --instances max`, e.g. in `package.json` scripts. */
export function parsePm2Commands(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  text.split(/\r?\n|\r/).forEach((line, index) => {
    const match = /\bpm2(?:-runtime)?\s+start\b[^"\n]*?\s(?:-i|--instances)[\s=]+("[^"]*"|'[^']*'|-?\d+|max)/.exec(line);
    if (!match) return;
    facts.settings.push({ line: index, endLine: index, text: line.trim(), name: 'workers', value: unquote(match[1]!), processes: pm2Instances(match[1]!), language: 'typescript' });
  });
  return facts;
}

/**
 * A Node entry point that forks `cluster` workers: one per CPU when the count comes from
 * `os.cpus()` or `availableParallelism()`, else at least two.
 */
export function parseNodeCluster(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  const lines = text.split(/\r?\n|\r/);
  const index = lines.findIndex((line) => /\bcluster\s*\.\s*fork\s*\(/.test(line) && !/^\s*(\/\/|\*)/.test(line));
  if (index < 0) return facts;
  const perCpu = /\b(cpus\s*\(\s*\)|availableParallelism\s*\(\s*\))/.test(text);
  const processes: WorkerCount = perCpu ? { count: CPUS_ASSUMED, description: 'one `cluster` worker per CPU' } : { count: 2, description: 'several `cluster` workers' };
  facts.settings.push({ line: index, endLine: index, text: lines[index]!.trim(), name: 'workers', value: 'cluster.fork()', processes, language: 'typescript' });
  return facts;
}

function closingParenthesis(text: string, from: number): number {
  let depth = 1;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return -1;
}

// ---------------------------------------------------------------- YAML: compose and Kubernetes

interface YamlContext {
  counter: LineCounter;
  lines: string[];
}

function located(node: YamlNode | null | undefined, context: YamlContext): Omit<Located, 'text'> & { text: string } {
  const range = node?.range;
  const line = range ? context.counter.linePos(range[0]).line - 1 : 0;
  const endLine = range ? context.counter.linePos(Math.max(range[0], range[1] - 1)).line - 1 : line;
  return { line, endLine, text: (context.lines[line] ?? '').trim() };
}

function parseYaml(text: string): { documents: Document.Parsed[]; context: YamlContext } {
  const counter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: counter });
  return { documents: Array.isArray(documents) ? documents.filter((document) => document.errors.length === 0) : [], context: { counter, lines: text.split(/\r?\n|\r/) } };
}

/** A YAML command: a string, or a list of words. */
function commandText(node: unknown): string | undefined {
  if (isScalar(node)) return typeof node.value === 'string' ? node.value : undefined;
  if (isSeq(node)) {
    const words = node.items.map((item) => (isScalar(item) ? String(item.value) : undefined));
    if (words.some((word) => word === undefined)) return undefined;
    const list = words as string[];
    if (list.length >= 3 && /(^|\/)(ba|da|z)?sh$/.test(list[0]!) && list[1] === '-c') return list.slice(2).join(' ');
    return list.map((word) => (/\s/.test(word) ? `'${word}'` : word)).join(' ');
  }
  return undefined;
}

/** `environment:` as a map (`WEB_CONCURRENCY: 4`) or a list (`- WEB_CONCURRENCY=4`), and Kubernetes `env:` lists. */
function environmentSettings(node: unknown, context: YamlContext): DeploymentSetting[] {
  const settings: DeploymentSetting[] = [];
  const setting = (name: string, value: string, where: YamlNode | null | undefined): void => {
    if (name === 'WEB_CONCURRENCY') settings.push({ ...located(where, context), name, value, processes: countFromShellWord(value) });
    else if (name === 'GUNICORN_CMD_ARGS') settings.push({ ...located(where, context), name, value });
  };
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && isScalar(pair.value)) setting(String(pair.key.value), String(pair.value.value), pair.value);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string') {
        const match = /^(\w+)=(.*)$/.exec(item.value);
        if (match) setting(match[1]!, match[2]!, item);
      } else if (isMap(item) && typeof item.get('name') === 'string') {
        const valueNode = item.get('value', true);
        setting(item.get('name') as string, valueNode === undefined ? '' : String(valueNode.value), valueNode);
      }
    }
  }
  return settings;
}

function replicaSetting(node: unknown, context: YamlContext, describe: (count: number) => string | undefined = () => undefined): DeploymentSetting[] {
  if (!isScalar(node)) return [];
  const count = typeof node.value === 'number' ? node.value : /^\d+$/.test(String(node.value)) ? Number(node.value) : Number.NaN;
  if (!Number.isInteger(count) || count < 0) return [];
  const description = describe(count) ?? `${count} replicas`;
  return [{ ...located(node, context), name: 'replicas', value: String(count), processes: { count, description } }];
}

/**
 * A service that bind-mounts a host directory (`- .:/app`, `- ./src:/code/src`, `type: bind`)
 * runs the code being edited: a development setup, where `--reload` is the point.
 */
function mountsSource(volumes: unknown): boolean {
  if (!isSeq(volumes)) return false;
  return volumes.items.some((item) =>
    isScalar(item) ? /^(\.{1,2}(\/|:)|\$\{?PWD\}?)/.test(String(item.value)) : isMap(item) && item.get('type') === 'bind',
  );
}

/** A docker-compose file: each service's `command`/`entrypoint`, `environment`, `deploy.replicas` and `scale`. */
export function parseCompose(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  const { documents, context } = parseYaml(text);
  for (const document of documents) {
    const services = document.get('services', true);
    if (!isMap(services)) continue;
    for (const pair of services.items) {
      const service = pair.value;
      if (!isMap(service)) continue;
      const name = isScalar(pair.key) ? String(pair.key.value) : '?';
      const group = `service ${name}`;
      const development = DEVELOPMENT_NAME.test(name) || mountsSource(service.get('volumes', true)) || service.has('develop');
      for (const key of ['command', 'entrypoint']) {
        const node = service.get(key, true) as YamlNode | undefined;
        const command = commandText(node);
        const where = { ...located(node, context), ...(development && { development: true }) };
        if (command) facts.commands.push(...parseServerCommands(command, where).map((parsed) => ({ ...parsed, text: where.text, group })));
      }
      const settings = [...environmentSettings(service.get('environment', true), context)];
      const deploy = service.get('deploy', true);
      if (isMap(deploy)) settings.push(...replicaSetting(deploy.get('replicas', true), context));
      settings.push(...replicaSetting(service.get('scale', true), context));
      facts.settings.push(...settings.map((setting) => ({ ...setting, group, ...(development && { development: true }) })));
    }
  }
  return facts;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DeploymentConfig']);

/**
 * Kubernetes manifests: workloads' `spec.replicas` and their containers' `command`/`args` and
 * `env`; a HorizontalPodAutoscaler's `maxReplicas`.
 */
export function parseKubernetes(text: string): DeploymentFileFacts {
  const facts: DeploymentFileFacts = { commands: [], settings: [] };
  const { documents, context } = parseYaml(text);
  documents.forEach((document, index) => {
    const kind = document.get('kind');
    const spec = document.get('spec', true);
    if (!isMap(spec)) return;
    const group = `document ${index + 1}`;
    if (kind === 'HorizontalPodAutoscaler') {
      facts.settings.push(...replicaSetting(spec.get('maxReplicas', true), context, (count) => `up to ${count} replicas (autoscaled)`));
      return;
    }
    if (typeof kind !== 'string' || !WORKLOAD_KINDS.has(kind)) return;
    facts.settings.push(...replicaSetting(spec.get('replicas', true), context).map((setting) => ({ ...setting, group })));
    const containers = spec.getIn(['template', 'spec', 'containers'], true);
    if (!isSeq(containers)) return;
    for (const container of containers.items) {
      if (!isMap(container)) continue;
      const commandNode = container.get('command', true) as YamlNode | undefined;
      const argsNode = container.get('args', true) as YamlNode | undefined;
      const command = [commandText(commandNode), commandText(argsNode)].filter((part): part is string => part !== undefined).join(' ');
      // The command and its args are one command line: findings point into either.
      const where = { ...located(commandNode ?? argsNode, context), endLine: located(argsNode ?? commandNode, context).endLine };
      if (command) facts.commands.push(...parseServerCommands(command, where).map((parsed) => ({ ...parsed, text: where.text, group })));
      facts.settings.push(...environmentSettings(container.get('env', true), context).map((setting) => ({ ...setting, group })));
    }
  });
  return facts;
}

// ---------------------------------------------------------------- files

/** What a file is, by its name alone; Python launchers and Kubernetes manifests are confirmed by content. */
export function deploymentKindOf(name: string): DeploymentFileKind | undefined {
  if (/^gunicorn([._-]?(conf|config|cfg))?\.py$/i.test(name)) return 'gunicorn-config';
  if (/^(Dockerfile|Containerfile)(\.[\w.-]+)?$/.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name)) return 'dockerfile';
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name)) return 'compose';
  if (/^Procfile(\.[\w-]+)?$/.test(name)) return 'procfile';
  if (/^(GNUmakefile|[Mm]akefile)$/.test(name) || /\.mk$/.test(name)) return 'makefile';
  if (/\.(sh|bash)$/.test(name) || /^(entrypoint|start|run|serve|docker-entrypoint)$/.test(name)) return 'shell';
  if (/\.py$/.test(name)) return 'python-launcher';
  if (/\.ya?ml$/i.test(name)) return 'kubernetes';
  return undefined;
}

const CONFIRMED_BY: Partial<Record<DeploymentFileKind, RegExp>> = {
  'python-launcher': /\buvicorn\s*\.\s*(run|Config)\s*\(/,
  kubernetes: /^kind:\s*(Deployment|StatefulSet|ReplicaSet|DeploymentConfig|HorizontalPodAutoscaler)\b/m,
};

const READERS: Record<DeploymentFileKind, (text: string) => DeploymentFileFacts> = {
  dockerfile: parseDockerfile,
  compose: parseCompose,
  procfile: parseProcfile,
  shell: parseShellScript,
  makefile: parseMakefile,
  'gunicorn-config': parseGunicornConfig,
  'python-launcher': parseUvicornRun,
  kubernetes: parseKubernetes,
};

/** Whether a file of that kind with that text is a deployment file (a YAML file may be anything). */
export function confirmsKind(kind: DeploymentFileKind, text: string): boolean {
  return CONFIRMED_BY[kind]?.test(text) ?? true;
}

/** Reads a file of a known kind; undefined when its content says it is not one. */
export function readDeploymentFile(kind: DeploymentFileKind, text: string): DeploymentFileFacts | undefined {
  return confirmsKind(kind, text) ? READERS[kind](text) : undefined;
}

/**
 * `#` comments: whole lines in a Dockerfile (where `#` later on a line is an argument), and also
 * after code, outside quotes, in shell, YAML, Procfiles, Makefiles and Python.
 */
export function deploymentComments(kind: DeploymentFileKind, text: string): Comment[] {
  const comments: Comment[] = [];
  text.split(/\r?\n|\r/).forEach((line, index) => {
    const start = kind === 'dockerfile' ? (/^\s*#/.test(line) ? line.indexOf('#') : -1) : commentStart(line);
    if (start < 0) return;
    const range = { start: { line: index, character: start }, end: { line: index, character: line.length } };
    comments.push({ range, text: line.slice(start) });
  });
  return comments;
}

/** Where a `#` comment starts on a line: at its start or after whitespace, outside quotes. */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\') index++;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (index === 0 || /\s/.test(line[index - 1]!))) {
      return index;
    }
  }
  return -1;
}

/**
 * A deployment file as the engine checks it, from its path relative to the project (which says
 * whether it is for development) and its text; undefined when it is not one.
 */
export function parseDeploymentFile(path: string, relativePath: string, text: string): DeploymentFile | undefined {
  const name = relativePath.split(/[\\/]/).pop() ?? relativePath;
  const kind = deploymentKindOf(name);
  const facts = kind && readDeploymentFile(kind, text);
  if (!kind || !facts) return undefined;
  return { path, kind, facts, development: isDevelopmentPath(relativePath), source: text, comments: deploymentComments(kind, text) };
}

// ---------------------------------------------------------------- the project's worker count

/** Files whose names say they are for development, tests or local runs. */
export function isDevelopmentPath(relativePath: string): boolean {
  return /(^|[/\\._-])(dev|devel|develop|development|local|test|tests|testing|override|debug)([/\\._-]|$)/i.test(relativePath);
}

interface WorkerCandidate extends WorkerCount {
  path: string;
  where: Located;
  replicas: boolean;
  /** Whose processes it counts, when only one language's. */
  language?: Language;
}

/**
 * The process count the deployment runs the app with: the largest count any production file
 * states (a hazard of per-process state exists in the deployment with the most processes), with
 * replicas and workers of the same manifest multiplied. Commands with `--reload` are development
 * commands and are left out. Exactly 1 only when every statement says 1; undefined when no file
 * says anything. With a language, only counts of that language's processes (or of any) count:
 * a PM2 config says nothing about the Python service beside the Node one.
 */
export function workerSettingFrom(files: readonly DeploymentFileReading[], language?: Language): WorkerSetting | undefined {
  const candidates: WorkerCandidate[] = [];
  for (const file of files) {
    if (file.development) continue;
    const own: WorkerCandidate[] = [];
    for (const command of file.facts.commands) {
      if (command.workers && !command.reload && !command.development) own.push({ ...command.workers, path: file.path, where: command, replicas: false, language: 'python' });
    }
    for (const setting of file.facts.settings) {
      if (setting.processes && !setting.development) {
        own.push({ ...setting.processes, path: file.path, where: setting, replicas: setting.name === 'replicas', ...(setting.language && { language: setting.language }) });
      }
    }
    const replicas = own.filter((candidate) => candidate.replicas && candidate.count > 1);
    const workers = own.filter((candidate) => !candidate.replicas && candidate.count > 1);
    for (const copies of replicas) {
      for (const worker of workers.filter((candidate) => candidate.where.group !== undefined && candidate.where.group === copies.where.group)) {
        const described = worker.description ?? `${worker.count} workers`;
        own.push({
          ...copies,
          count: copies.count * worker.count,
          description: `${copies.description ?? `${copies.count} replicas`} × ${described}`,
          ...(worker.language && { language: worker.language }),
        });
      }
    }
    candidates.push(...own.filter((candidate) => !language || !candidate.language || candidate.language === language));
  }
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((max, candidate) => (candidate.count > max.count ? candidate : max));
  if (best.count < 1) return undefined;
  const description = best.replicas || best.description ? (best.description ?? `${best.count} replicas`) : undefined;
  return {
    count: best.count,
    ...(description && { description }),
    source: {
      path: best.path,
      range: { start: { line: best.where.line, character: 0 }, end: { line: best.where.endLine, character: 0 } },
      text: best.where.text,
    },
  };
}

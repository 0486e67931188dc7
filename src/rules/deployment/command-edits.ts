import type { DeploymentFile, Located } from '../../core/deployment-facts';
import type { Position, Range } from '../../core/facts';
import type { TextEdit } from '../../core/hazard';

/**
 * Where things are written in a deployment file, and the edits the deployment rules' fixes make
 * to command lines in any of their forms: shell (`CMD gunicorn -w 4 app:app`), exec/JSON and YAML
 * flow lists (`["gunicorn", "app:app"]`), YAML block lists (`- gunicorn`), and config assignments.
 */

/** A located part of a file's text, searched as one string (continuation lines included). */
class LocatedText {
  readonly text: string;
  private readonly starts: number[] = [];

  constructor(
    readonly lines: readonly string[],
    private readonly where: Pick<Located, 'line' | 'endLine'>,
  ) {
    let offset = 0;
    const parts: string[] = [];
    for (let line = where.line; line <= where.endLine; line++) {
      this.starts.push(offset);
      const text = lines[line] ?? '';
      parts.push(text);
      offset += text.length + 1;
    }
    this.text = parts.join('\n');
  }

  position(offset: number): Position {
    let index = this.starts.length - 1;
    while (index > 0 && this.starts[index]! > offset) index--;
    return { line: this.where.line + index, character: offset - this.starts[index]! };
  }

  range(from: number, to: number): Range {
    return { start: this.position(from), end: this.position(to) };
  }
}

function linesOf(file: DeploymentFile): string[] {
  return file.source.split(/\r?\n|\r/);
}

/** The range of a command or setting: from its first character to the end of its last line, before a trailing comment. */
export function locatedRange(file: DeploymentFile, where: Located): Range {
  const lines = linesOf(file);
  const first = lines[where.line] ?? '';
  const last = lines[where.endLine] ?? '';
  const comment = file.comments.find((candidate) => candidate.range.start.line === where.endLine);
  const end = comment && comment.range.start.character > 0 ? last.slice(0, comment.range.start.character).trimEnd().length : last.length;
  return { start: { line: where.line, character: first.length - first.trimStart().length }, end: { line: where.endLine, character: end } };
}

/** A word as a command writes it: bare, or quoted in an exec/flow list. */
function wordPattern(word: string): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s"'\\[,/])(${escaped})(?=$|[\\s"',\\]])`, 'm');
}

/** A word of a command, found in the command's text: where that text starts being the word. */
function findWord(file: DeploymentFile, command: Located, word: string): { text: LocatedText; start: number } | undefined {
  const text = new LocatedText(linesOf(file), command);
  const match = wordPattern(word).exec(text.text);
  return match ? { text, start: match.index + match[1]!.length } : undefined;
}

/** Where a word of a command is written: `--reload` in a Dockerfile line or a YAML `args` item. */
export function wordRange(file: DeploymentFile, command: Located, word: string): Range | undefined {
  const found = findWord(file, command, word);
  return found && found.text.range(found.start, found.start + word.length);
}

/** Inserts `-k <workerClass>` after the `gunicorn` word, in the command's own form. */
export function insertWorkerClass(file: DeploymentFile, command: Located, workerClass: string): TextEdit[] | undefined {
  const text = new LocatedText(linesOf(file), command);
  const match = wordPattern('gunicorn').exec(text.text);
  if (!match) return undefined;
  const end = match.index + match[0].length;
  const lineNumber = text.position(match.index).line;
  const line = text.lines[lineNumber] ?? '';
  // A YAML block list item: the new words are items of their own, after the line (and its comment).
  const item = /^(\s*)-\s+(["']?)gunicorn\2\s*(#.*)?$/.exec(line);
  if (item) {
    const at = { line: lineNumber, character: line.length };
    return [{ range: { start: at, end: at }, newText: `\n${item[1]}- -k\n${item[1]}- ${workerClass}` }];
  }
  const quote = text.text[end];
  if (quote === '"' || quote === "'") {
    const at = text.position(end + 1);
    return [{ range: { start: at, end: at }, newText: `, ${quote}-k${quote}, ${quote}${workerClass}${quote}` }];
  }
  const at = text.position(end);
  return [{ range: { start: at, end: at }, newText: ` -k ${workerClass}` }];
}

/** Replaces the value of `-k`/`--worker-class` in a command. */
export function replaceWorkerClass(file: DeploymentFile, command: Located, current: string, workerClass: string): TextEdit[] | undefined {
  const text = new LocatedText(linesOf(file), command);
  const flag = /(^|[\s"'[,])(-k|--worker-class)(?=[=\s"',]|\S)/m.exec(text.text);
  if (!flag) return undefined;
  const from = text.text.indexOf(current, flag.index + flag[0].length);
  if (from < 0) return undefined;
  return [{ range: text.range(from, from + current.length), newText: workerClass }];
}

/** Replaces the word after another in a command: the `dev` of `fastapi dev`. */
export function replaceWordAfter(file: DeploymentFile, command: Located, anchor: string, current: string, replacement: string): TextEdit[] | undefined {
  const text = new LocatedText(linesOf(file), command);
  const match = wordPattern(anchor).exec(text.text);
  const following = match && wordPattern(current).exec(text.text.slice(match.index + match[0].length));
  if (!match || !following) return undefined;
  const from = match.index + match[0].length + following.index + following[1]!.length;
  return [{ range: text.range(from, from + current.length), newText: replacement }];
}

/** Removes a flag (`--reload`) from a command, with the separator before it. */
export function removeFlag(file: DeploymentFile, command: Located, flag: string): TextEdit[] | undefined {
  const found = findWord(file, command, flag);
  if (!found) return undefined;
  const { text, start } = found;
  const end = start + flag.length;
  const quote = text.text[start - 1];
  if (quote === '"' || quote === "'") {
    // `"a", "--reload", "b"` or `"a", "--reload"]`: drop the quoted item and one comma beside it.
    const after = /^["']\s*,\s*/.exec(text.text.slice(end));
    if (after) return [{ range: text.range(start - 1, end + after[0].length), newText: '' }];
    const before = /,\s*$/.exec(text.text.slice(0, start - 1));
    return before ? [{ range: text.range(before.index, end + 1), newText: '' }] : undefined;
  }
  const position = text.position(start);
  const line = text.lines[position.line] ?? '';
  if (/^\s*-\s+--?[\w-]+\s*(#.*)?$/.test(line)) {
    return [{ range: { start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }, newText: '' }];
  }
  const spaces = /[ \t]*$/.exec(text.text.slice(0, start))![0].length;
  return [{ range: text.range(start - spaces, end), newText: '' }];
}

/** Replaces the value of a `name = value` setting (a gunicorn config line), keeping its quotes. */
export function replaceSettingValue(file: DeploymentFile, setting: Located, current: string, replacement: string): TextEdit[] | undefined {
  const text = new LocatedText(linesOf(file), setting);
  const equals = text.text.indexOf('=');
  const from = equals < 0 ? -1 : text.text.indexOf(current, equals);
  return from < 0 ? undefined : [{ range: text.range(from, from + current.length), newText: replacement }];
}

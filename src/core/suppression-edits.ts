/**
 * The edits that add a suppression comment for one finding — for its line or its whole file — in
 * the comment syntax of the file's language: `# interleave: ignore[IL101]` in Python,
 * `// interleave-ignore IL101` in TypeScript and JavaScript. Pure: text and comments in, one edit out.
 */
import type { Comment, Language } from './facts';
import type { TextEdit } from './hazard';
import { parseSuppressions } from './suppression';
import type { RuleMeta } from './rule';

/** What suppression edits need to know about the document: its language, text and comments. */
export interface SuppressionContext {
  language: Language;
  text: string;
  comments: readonly Comment[];
}

interface CommentSyntax {
  lineDirective(code: string): string;
  fileDirective(code: string): string;
  /** What separates code from a trailing comment. */
  trailingGap: string;
}

const COMMENT_SYNTAX: Record<Language, CommentSyntax> = {
  python: {
    lineDirective: (code) => `# interleave: ignore[${code}]`,
    fileDirective: (code) => `# interleave: ignore-file[${code}]`,
    trailingGap: '  ',
  },
  typescript: {
    lineDirective: (code) => `// interleave-ignore ${code}`,
    fileDirective: (code) => `// interleave-ignore-file ${code}`,
    trailingGap: ' ',
  },
};

/** A directive's code list: bracketed (`# interleave: ignore[…]`, `// interleave: ignore[…]`) or spaced (`// interleave-ignore …`). */
const CODE_LISTS: Record<'line' | 'file', { bracketed: RegExp; spaced: RegExp }> = {
  line: {
    bracketed: /^(?:#|\/\/|\/\*)\s*interleave:\s*ignore\[([^\]]*)\]/i,
    spaced: /^(?:\/\/|\/\*)\s*interleave-ignore[ \t]+((?:(?!--)[\w\-, \t])*\w)/i,
  },
  file: {
    bracketed: /^(?:#|\/\/|\/\*)\s*interleave:\s*ignore-file\[([^\]]*)\]/i,
    spaced: /^(?:\/\/|\/\*)\s*interleave-ignore-file[ \t]+((?:(?!--)[\w\-, \t])*\w)/i,
  },
};

function splitLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}

function endOfLine(text: string): string {
  const match = /\r\n|\n|\r/.exec(text);
  return match ? match[0] : '\n';
}

/**
 * Adds `code` to the code list of the directive on `line`, when there is one:
 * `# interleave: ignore[IL102]` → `# interleave: ignore[IL102, IL101]`,
 * `// interleave-ignore IL102` → `// interleave-ignore IL102, IL101`.
 */
function extendDirective(comments: readonly Comment[], line: number, code: string, scope: 'line' | 'file'): TextEdit | undefined {
  const { bracketed, spaced } = CODE_LISTS[scope];
  for (const comment of comments) {
    if (comment.range.start.line !== line) continue;
    const inBrackets = bracketed.exec(comment.text);
    if (inBrackets) {
      const position = { line, character: comment.range.start.character + inBrackets[0].length - 1 };
      return { range: { start: position, end: position }, newText: inBrackets[1]!.trim() === '' ? code : `, ${code}` };
    }
    const listed = spaced.exec(comment.text);
    if (listed) {
      const position = { line, character: comment.range.start.character + listed[0].length };
      return { range: { start: position, end: position }, newText: `, ${code}` };
    }
  }
  return undefined;
}

/**
 * A line directive for `code`: added to a directive that already covers the line, else at the end
 * of the line, else (the line has a comment of its own, which a directive must start, or ends in a
 * backslash continuation) on a line of its own above, which covers the next code line.
 */
export function suppressLineEdit(document: SuppressionContext, code: string, line: number, rules: readonly RuleMeta[]): TextEdit {
  const lines = splitLines(document.text);
  for (const suppression of parseSuppressions(document.comments, lines, rules)) {
    if (suppression.scope !== 'line' || suppression.line !== line || suppression.codes.length === 0) continue;
    const extended = extendDirective(document.comments, suppression.commentLine, code, 'line');
    if (extended) return extended;
  }
  const syntax = COMMENT_SYNTAX[document.language];
  const text = lines[line] ?? '';
  const hasComment = document.comments.some((comment) => comment.range.start.line === line || (comment.range.start.line < line && comment.range.end.line >= line));
  if (hasComment || /\\\s*$/.test(text)) {
    const indentation = /^[ \t]*/.exec(text)![0];
    const start = { line, character: 0 };
    return { range: { start, end: start }, newText: `${indentation}${syntax.lineDirective(code)}${endOfLine(document.text)}` };
  }
  const codeEnd = text.trimEnd().length;
  return {
    range: { start: { line, character: codeEnd }, end: { line, character: text.length } },
    newText: `${syntax.trailingGap}${syntax.lineDirective(code)}`,
  };
}

/** PEP 263's encoding declaration, which must stay on the first or second line. */
const ENCODING_DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;

/** A file directive for `code`: added to an existing one, else at the top, below a shebang (and in Python an encoding line). */
export function suppressFileEdit(document: SuppressionContext, code: string, rules: readonly RuleMeta[]): TextEdit {
  const lines = splitLines(document.text);
  for (const suppression of parseSuppressions(document.comments, lines, rules)) {
    if (suppression.scope !== 'file' || suppression.codes.length === 0) continue;
    const extended = extendDirective(document.comments, suppression.commentLine, code, 'file');
    if (extended) return extended;
  }
  let line = 0;
  if (lines[0]?.startsWith('#!')) line = 1;
  if (document.language === 'python' && line < 2 && ENCODING_DECLARATION.test(lines[line] ?? '')) line++;
  const eol = endOfLine(document.text);
  const directive = COMMENT_SYNTAX[document.language].fileDirective(code);
  if (line < lines.length) {
    const start = { line, character: 0 };
    return { range: { start, end: start }, newText: `${directive}${eol}` };
  }
  const last = lines.length - 1;
  const end = { line: last, character: lines[last]!.length };
  return { range: { start: end, end }, newText: `${eol}${directive}${eol}` };
}

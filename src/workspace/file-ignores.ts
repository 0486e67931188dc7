/**
 * `check --add-ignore` (Ruff's `--add-noqa`): a suppression comment for every finding of a file,
 * in the form the editor's "Disable for this line" writes, checked by analysing the result.
 */
import type { TextEdit } from '../core/hazard';
import type { RuleMeta } from '../core/rule';
import { suppressLineEdit } from '../core/suppression-edits';
import { applyTextEdits } from '../core/text-edits';
import { parseSource } from './analyze';
import type { FileAnalyzer, FileOutcome, FileTask } from './file-analysis';
import { readCheckedFile, withFileLineEndings, writeCheckedFile } from './file-fixes';

export interface AddedIgnores {
  path: string;
  /** How many comments were written (one per line with findings). */
  comments: number;
  problem?: string;
}

/** Each line with findings, with the codes found on it, sorted. */
function codesByLine(outcome: FileOutcome): Map<number, string[]> {
  const byLine = new Map<number, Set<string>>();
  for (const hazard of outcome.hazards) byLine.set(hazard.range.start.line, (byLine.get(hazard.range.start.line) ?? new Set()).add(hazard.code));
  return new Map([...byLine].map(([line, codes]) => [line, [...codes].sort()]));
}

/**
 * Adds the comments and writes the file, only when the result parses and the comments silence
 * every finding (a line inside a multi-line string, say, cannot carry one). Never throws.
 */
export function addIgnoreComments(outcome: FileOutcome, task: FileTask, analyzer: FileAnalyzer, rules: readonly RuleMeta[]): AddedIgnores {
  const file = readCheckedFile(outcome, true, analyzer.settings.maxFileSize);
  if ('problem' in file) return { path: outcome.path, comments: 0, problem: file.problem };
  const { text, crlf } = file;
  // Analysed first, within the budget: a text that cannot be is not parsed again below.
  const before = analyzer.checkText(task, text);
  if (before.notAnalysed !== undefined) return { path: outcome.path, comments: 0, problem: `not analysed: ${before.notAnalysed}` };
  const lines = text.split(/\r?\n|\r/);
  const parsed = parseSource(task.path, text, task.moduleName);
  const edits: TextEdit[] = [];
  for (const [line, codes] of codesByLine(outcome)) {
    if (parsed) {
      edits.push(suppressLineEdit({ language: parsed.facts.language, text, comments: parsed.facts.comments }, codes.join(', '), line, rules));
    } else {
      // A deployment file (a Dockerfile has no trailing comments): the directive goes on the line above.
      const indentation = /^[ \t]*/.exec(lines[line] ?? '')![0];
      const start = { line, character: 0 };
      edits.push({ range: { start, end: start }, newText: `${indentation}# interleave: ignore[${codes.join(', ')}]\n` });
    }
  }
  const commented = applyTextEdits(text, edits.map((edit) => ({ ...edit, newText: withFileLineEndings(edit.newText, crlf) })));
  const after = analyzer.checkText(task, commented);
  // With no analysis of the result, nothing shows the comments silence the findings.
  if (after.notAnalysed !== undefined) return { path: outcome.path, comments: 0, problem: `the result was not analysed (${after.notAnalysed}); not written` };
  if (after.syntaxErrors > before.syntaxErrors || after.commands !== before.commands) {
    return { path: outcome.path, comments: 0, problem: 'the comments would break it; not written' };
  }
  if (after.hazards.length > 0) {
    const lines = [...new Set(after.hazards.map((hazard) => hazard.range.start.line + 1))].join(', ');
    return { path: outcome.path, comments: 0, problem: `a comment cannot silence the findings at line ${lines}; not written` };
  }
  const problem = writeCheckedFile(outcome.path, file, commented);
  return problem === undefined ? { path: outcome.path, comments: edits.length } : { path: outcome.path, comments: 0, problem };
}

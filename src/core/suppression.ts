import type { Comment } from './facts';
import type { Hazard } from './hazard';
import { findRule } from './config';
import type { RuleMeta } from './rule';

/**
 * A suppression comment, in either spelling:
 *   `# interleave: ignore[IL101, await-race] -- reason`   `# interleave: ignore`
 *   `# interleave: ignore-file[IL103]`
 *   `// interleave-ignore IL101 -- reason`                 `// interleave-ignore-file IL103`
 * A trailing comment covers its own line; a comment alone on its line covers the next line that
 * is not itself a comment.
 */
export interface Suppression {
  scope: 'line' | 'file';
  /** Rule codes; empty means every rule. */
  codes: string[];
  /** Names or codes written in the comment that match no rule. */
  unknown: string[];
  reason?: string;
  /** 0-based line the comment is on. */
  commentLine: number;
  /** 0-based line it covers; for file scope, -1. */
  line: number;
}

const DIRECTIVE =
  /^(?:#|\/\/|\/\*)\s*interleave(?::\s*|-)(ignore-file|ignore)(?:\[([^\]]*)\]|[ \t]+((?:(?!--)[\w\-, \t])+))?\s*(?:--\s*(.*?))?\s*(?:\*\/)?\s*$/i;

export function parseSuppressions(
  comments: readonly Comment[],
  lines: readonly string[],
  rules: readonly RuleMeta[],
): Suppression[] {
  const result: Suppression[] = [];
  const commentLines = new Set<number>();
  for (const comment of comments) {
    const line = comment.range.start.line;
    if ((lines[line] ?? '').trimStart().startsWith(comment.text)) commentLines.add(line);
  }
  for (const comment of comments) {
    const match = DIRECTIVE.exec(comment.text.trim());
    if (!match) continue;
    const [, kind, bracketed, spaced, reason] = match;
    const names = (bracketed ?? spaced ?? '')
      .split(/[,\s]+/)
      .map((name) => name.trim())
      .filter(Boolean);
    const codes: string[] = [];
    const unknown: string[] = [];
    for (const name of names) {
      const rule = findRule(name, rules);
      if (rule) codes.push(rule.code);
      else unknown.push(name);
    }
    if (names.length > 0 && codes.length === 0) continue;
    const commentLine = comment.range.start.line;
    let line = commentLine;
    if (commentLines.has(commentLine)) {
      line = commentLine + 1;
      while (commentLines.has(line)) line++;
    }
    result.push({
      scope: kind!.toLowerCase() === 'ignore-file' ? 'file' : 'line',
      codes,
      unknown,
      reason: reason || undefined,
      commentLine,
      line: kind!.toLowerCase() === 'ignore-file' ? -1 : line,
    });
  }
  return result;
}

export function isSuppressed(hazard: Hazard, suppressions: readonly Suppression[]): boolean {
  return suppressions.some(
    (s) =>
      (s.scope === 'file' || s.line === hazard.range.start.line) &&
      (s.codes.length === 0 || s.codes.includes(hazard.code)),
  );
}

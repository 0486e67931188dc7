/** The answer to `interleave/explain`: one finding with its rule's docs and its code before and after the fix. */
import type { Range } from '../core/facts';
import type { Hazard, HazardStory, TextEdit, WorkerSetting } from '../core/hazard';
import { ruleUrl, type RuleMeta } from '../core/rule';
import { applyTextEdits } from '../core/text-edits';
import type { ExplainResult } from './protocol';

/** Lines of context shown above and below the finding. */
const CONTEXT_LINES = 2;

function storyRanges(story: HazardStory | undefined): Range[] {
  switch (story?.kind) {
    case 'lost-update':
      return [story.read.range, story.suspend.range, story.write.range];
    case 'check-then-act':
      return [story.check.range, story.suspend.range, story.write.range];
    case 'thread-race':
      return [story.read.range, story.write.range];
    case 'per-process':
      return [story.definition.range, ...story.mutations.map((step) => step.range)];
    default:
      return [];
  }
}

/** How many lines an edit adds (or, negative, removes). */
function lineDelta(edit: TextEdit): number {
  return (edit.newText.match(/\r\n|\n|\r/g) ?? []).length - (edit.range.end.line - edit.range.start.line);
}

/**
 * The finding's lines (with its story's, in the same file) and some context; with a fix, the
 * region grows to cover the edits that touch it, and `after` is the same region of the fixed text
 * (edits above it shift it down, edits below it are not shown).
 */
export function excerptOf(hazard: Hazard, text: string): ExplainResult['excerpt'] {
  const lines = text.split(/\r?\n|\r/);
  const lastLine = Math.max(0, lines.length - 1);
  const ranges = [hazard.range, ...storyRanges(hazard.story)];
  let first = Math.max(0, Math.min(...ranges.map((range) => range.start.line)) - CONTEXT_LINES);
  let last = Math.min(lastLine, Math.max(...ranges.map((range) => range.end.line)) + CONTEXT_LINES);
  const edits = hazard.fix?.edits ?? [];
  // An edit whose lines meet the region joins it: the side-by-side view must show it whole.
  for (let grown = true; grown; ) {
    grown = false;
    for (const edit of edits) {
      if (edit.range.end.line < first - 1 || edit.range.start.line > last + 1) continue;
      if (edit.range.start.line < first || edit.range.end.line > last) {
        first = Math.min(first, edit.range.start.line);
        last = Math.min(lastLine, Math.max(last, edit.range.end.line));
        grown = true;
      }
    }
  }
  const before = lines.slice(first, last + 1).join('\n');
  if (!hazard.fix) return { startLine: first + 1, before };
  let shiftAbove = 0;
  let shiftInside = 0;
  for (const edit of edits) {
    if (edit.range.end.line < first) shiftAbove += lineDelta(edit);
    else if (edit.range.start.line <= last) shiftInside += lineDelta(edit);
  }
  let fixedLines: string[];
  try {
    fixedLines = applyTextEdits(text, edits).split(/\r?\n|\r/);
  } catch {
    return { startLine: first + 1, before };
  }
  const after = fixedLines.slice(first + shiftAbove, last + shiftAbove + shiftInside + 1).join('\n');
  return { startLine: first + 1, before, after };
}

export function explainResult(hazard: Hazard, meta: RuleMeta, text: string, workers: WorkerSetting | undefined): ExplainResult {
  const { docs } = meta;
  return {
    code: hazard.code,
    name: hazard.name,
    family: meta.family,
    severity: hazard.severity,
    message: hazard.message,
    ...(hazard.explanation !== undefined ? { explanation: hazard.explanation } : {}),
    url: ruleUrl(meta),
    ...(hazard.story ? { story: hazard.story } : {}),
    ...(workers ? { workers } : {}),
    docs: {
      summary: meta.summary,
      whatItDoes: docs.whatItDoes.trim(),
      whyIsThisBad: docs.whyIsThisBad.trim(),
      fixSafety: docs.fixSafety.trim(),
      whenNotToUse: docs.whenNotToUse.trim(),
      examples: docs.examples,
    },
    excerpt: excerptOf(hazard, text),
    ...(hazard.fix ? { fix: { applicability: hazard.fix.applicability, message: hazard.fix.message } } : {}),
  };
}

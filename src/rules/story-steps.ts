import type { ModuleFacts, Range, StatementRef } from '../core/facts';
import type { StoryStep } from '../core/hazard';
import { sourceLines } from '../core/source-lines';

/** The code of the statement a step happens in, on one line, for messages and the explainer. */
export function storyStep(module: ModuleFacts, range: Range, statement: StatementRef): StoryStep {
  const first = (sourceLines(module)[statement.range.start.line] ?? '').trim();
  const code = statement.range.end.line > statement.range.start.line ? `${first} …` : first;
  return { range, code: code.length > 100 ? `${code.slice(0, 99)}…` : code };
}

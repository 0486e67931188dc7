import type { ModuleFacts, Range } from './facts';
import { sourceLines } from './source-lines';

/** The source text of a range on one line, whitespace collapsed and shortened, for messages. */
export function excerpt(module: ModuleFacts, range: Range, limit = 60): string {
  const lines = sourceLines(module);
  const parts: string[] = [];
  for (let line = range.start.line; line <= range.end.line; line++) {
    const text = lines[line] ?? '';
    const from = line === range.start.line ? range.start.character : 0;
    const to = line === range.end.line ? range.end.character : text.length;
    parts.push(text.slice(from, to));
  }
  const oneLine = parts.join(' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > limit ? `${oneLine.slice(0, limit - 1)}…` : oneLine;
}

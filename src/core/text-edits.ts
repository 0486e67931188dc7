import type { Position } from './facts';
import type { TextEdit } from './hazard';

/**
 * Where each line of `text` starts; `\r\n`, `\n` and a lone `\r` all end a line, as in LSP and
 * editors (`\u2028` and `\u2029` do not, though JavaScript's grammar counts them).
 */
export function lineStartsOf(text: string): number[] {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 10) lineStarts.push(index + 1);
    else if (char === 13 && text.charCodeAt(index + 1) !== 10) lineStarts.push(index + 1);
  }
  return lineStarts;
}

/** What an edit replaced: `start`–`oldEnd` of the old text became `start`–`newEnd` of the new one. */
export interface ChangedRegion {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The region between two texts' common prefix and common suffix (which never overlap). */
export function changedRegion(oldText: string, newText: string): ChangedRegion {
  const shorter = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < shorter - start && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  return { start, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}

function offsetOf(lineStarts: readonly number[], text: string, position: Position): number {
  const start = lineStarts[position.line];
  if (start === undefined) return text.length;
  return Math.min(start + position.character, text.length);
}

/** The offset of a 0-based position in `text`, clamped to the text. */
export function offsetAt(text: string, position: Position): number {
  return offsetOf(lineStartsOf(text), text, position);
}

/** The 0-based position of an offset in `text`, clamped to the text. */
export function positionAt(text: string, offset: number): Position {
  return positionIn(lineStartsOf(text), Math.max(0, Math.min(offset, text.length)));
}

/** The 0-based position of an offset, given the line starts of its text (from `lineStartsOf`). */
export function positionIn(lineStarts: readonly number[], offset: number): Position {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - lineStarts[low]! };
}

/**
 * Applies edits made against `text`. Edits at the same position keep their given order, the way
 * LSP clients apply them; overlapping edits are a bug in the fix that produced them.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = lineStartsOf(text);
  const located = edits
    .map((edit, order) => ({
      start: offsetOf(lineStarts, text, edit.range.start),
      end: offsetOf(lineStarts, text, edit.range.end),
      newText: edit.newText,
      order,
    }))
    .sort((a, b) => a.start - b.start || a.order - b.order);
  let result = '';
  let cursor = 0;
  for (const edit of located) {
    if (edit.start < cursor) throw new Error('overlapping text edits');
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

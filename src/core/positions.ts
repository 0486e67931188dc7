import type { Position, Range } from './facts';

/** Negative when `a` comes first in the text, positive when `b` does, zero at the same place. */
export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether `a` is at `b` or earlier in the text. */
export function atOrBefore(a: Position, b: Position): boolean {
  return comparePositions(a, b) <= 0;
}

/** Whether a position lies in a range, its ends included. */
export function positionWithin(position: Position, range: Range): boolean {
  return atOrBefore(range.start, position) && atOrBefore(position, range.end);
}

/** Whether `inner` lies in `outer`, ends included. */
export function rangeWithin(inner: Range, outer: Range): boolean {
  return atOrBefore(outer.start, inner.start) && atOrBefore(inner.end, outer.end);
}

/** Whether two ranges start and end at the same places. */
export function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

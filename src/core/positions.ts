import type { Range } from './facts';

type Position = Range['start'];

/** Negative when `a` comes first in the text, positive when `b` does, zero at the same place. */
export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether `a` is at `b` or earlier in the text. */
export function atOrBefore(a: Position, b: Position): boolean {
  return comparePositions(a, b) <= 0;
}

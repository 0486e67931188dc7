/**
 * Shape checks for what clients send. Parameters arrive as untyped JSON; a request whose
 * parameters fail these gets an InvalidParams error instead of a crash.
 */
import type { Range } from '../core/facts';
import type { CodePosition, HazardReference } from './protocol';

function isPosition(value: unknown): value is Range['start'] {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as { line?: unknown; character?: unknown };
  return Number.isInteger(line) && Number.isInteger(character) && (line as number) >= 0 && (character as number) >= 0;
}

export function isRange(value: unknown): value is Range {
  if (typeof value !== 'object' || value === null) return false;
  const { start, end } = value as { start?: unknown; end?: unknown };
  return isPosition(start) && isPosition(end);
}

export function isHazardReference(value: unknown): value is HazardReference {
  if (typeof value !== 'object' || value === null) return false;
  const { uri, range, code } = value as { uri?: unknown; range?: unknown; code?: unknown };
  return typeof uri === 'string' && typeof code === 'string' && isRange(range);
}

export function isCodePosition(value: unknown): value is CodePosition {
  if (typeof value !== 'object' || value === null) return false;
  const { uri, position } = value as { uri?: unknown; position?: unknown };
  return typeof uri === 'string' && isPosition(position);
}

import type { FunctionFacts, Language, LockKind, Range, StatementRef } from '../core/facts';
import type { Fix } from '../core/hazard';
import type { FixBuilder } from '../core/rule';

/**
 * Coroutines that can run concurrently with themselves or with handlers. Lifespan and startup/
 * shutdown hooks run once, before the first request or after the last, so they are left out.
 */
export function runsConcurrently(fn: FunctionFacts): boolean {
  return fn.execution === 'event-loop' && fn.kind !== 'lifespan' && fn.kind !== 'startup' && fn.kind !== 'shutdown';
}

/** `line 12` for messages. */
export function line(range: Range): string {
  return `line ${range.start.line + 1}`;
}

/** Wraps a read…write region in a module-level lock: always unsafe, it changes scheduling. */
export function lockFix(
  fixes: FixBuilder,
  from: StatementRef,
  to: StatementRef,
  kind: LockKind,
  stateRoot: string,
): Fix | undefined {
  const wrapped = fixes.wrapInLock(from, to, { kind, stateRoot });
  if (!wrapped) return undefined;
  const keyword = kind === 'asyncio' ? 'async with' : 'with';
  return {
    applicability: 'unsafe',
    message: `Hold \`${wrapped.lockName}\` (\`${keyword} ${wrapped.lockName}:\`) from the read to the write`,
    edits: wrapped.edits,
  };
}

/** How race messages name, per language, the function that suspends and the lock that would serialise it. */
export interface AsyncVocabulary {
  /** `the coroutine` */
  suspender: string;
  /** `an \`asyncio.Lock\`` */
  lock: string;
}

export function asyncVocabulary(language: Language): AsyncVocabulary {
  return language === 'python'
    ? { suspender: 'the coroutine', lock: 'an `asyncio.Lock`' }
    : { suspender: 'the function', lock: "a mutex (`async-mutex`'s `runExclusive`)" };
}

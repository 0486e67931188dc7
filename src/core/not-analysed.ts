import { BudgetExceeded } from './budget';

/** Thrown by a frontend whose parser cannot read a file at all: the file is reported as not analysed. */
export class NotAnalysable extends Error {}

/** Whether an error is the engine running out of stack: the input nests deeper than it can follow. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * Why an analysis that threw could not analyse its file, as the "not analysed: …" line says it;
 * undefined for an error that is a bug of Interleave's (reported as such, with its stack).
 */
export function notAnalysedReason(error: unknown): string | undefined {
  if (error instanceof BudgetExceeded || error instanceof NotAnalysable) return error.message;
  if (isStackOverflow(error)) return 'nested too deeply to analyse';
  return undefined;
}

/** The parser of `language` failed on the file: why, in a line. */
export function parserFailure(language: string, error: unknown): NotAnalysable {
  if (isStackOverflow(error)) return new NotAnalysable(`nested too deeply for the ${language} parser`);
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new NotAnalysable(`the ${language} parser failed (${message})`);
}

/**
 * Fix-all: the fixes of a text, applied round by round, and the one edit that turns the text into
 * the result. Pure, so the CLI, the language server and the tsserver plugin share it.
 */
import type { Hazard, TextEdit } from './hazard';
import { applyTextEdits, changedRegion, offsetAt, positionAt } from './text-edits';

/** Whether fix-all applies the hazard's fix: safe ones always, unsafe ones only when asked for. */
export function fixApplies(hazard: Hazard, unsafeFixes: boolean): boolean {
  return hazard.fix !== undefined && hazard.fix.edits.length > 0 && (hazard.fix.applicability === 'safe' || unsafeFixes);
}

/** What one pass of fix-all needs from the analysis of a text. */
export interface FixPassAnalysis {
  hazards: readonly Hazard[];
  syntaxErrors: number;
}

/** What applying fixes in rounds did to a text. */
export interface FixOutcome {
  text: string;
  /** The hazards whose fixes were applied, in the order they were. */
  applied: Hazard[];
  /** Fixes left out because the text they gave did not parse. */
  rejected: Hazard[];
  /** True when the last round still found fixes to apply: the result may not be final. */
  exhausted: boolean;
}

export interface FixOptions {
  /** Apply unsafe fixes too. */
  unsafe: boolean;
  /** At most this many rounds of analysis and fixing. */
  maxRounds?: number;
}

const DEFAULT_MAX_ROUNDS = 10;

/** Identifies a fix across rounds, where lines move: its rule, title and text. */
function fixKey(hazard: Hazard): string {
  return [hazard.code, hazard.fix!.message, ...hazard.fix!.edits.map((edit) => edit.newText)].join('\0');
}

/**
 * Applies fixes the way Ruff's fix-all does: each round applies the fixes whose edits neither
 * overlap nor touch one already taken, then re-analyses the result, until no fix is left or the
 * rounds run out. Every round's result is analysed again, and one with more syntax errors than the
 * text started with is not kept: its fixes are then tried one at a time, and those that break the
 * text alone are rejected. Applying it again to its result changes nothing.
 */
export function applyFixes(text: string, analyse: (text: string) => FixPassAnalysis, options: FixOptions): FixOutcome {
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  let current = text;
  let analysis = analyse(current);
  const allowedErrors = analysis.syntaxErrors;
  const applied: Hazard[] = [];
  const rejected: Hazard[] = [];
  const rejectedKeys = new Set<string>();
  const tryEdits = (edits: readonly TextEdit[]): { text: string; analysis: FixPassAnalysis } | undefined => {
    let fixed: string;
    try {
      fixed = applyTextEdits(current, edits);
    } catch {
      return undefined;
    }
    const next = analyse(fixed);
    return next.syntaxErrors > allowedErrors ? undefined : { text: fixed, analysis: next };
  };
  for (let round = 0; round < maxRounds; round++) {
    const candidates = analysis.hazards.filter((hazard) => fixApplies(hazard, options.unsafe) && !rejectedKeys.has(fixKey(hazard)));
    if (candidates.length === 0) return { text: current, applied, rejected, exhausted: false };
    const taken: [number, number][] = [];
    const chosen: Hazard[] = [];
    for (const hazard of candidates) {
      const spans = hazard.fix!.edits.map((edit): [number, number] => [offsetAt(current, edit.range.start), offsetAt(current, edit.range.end)]);
      if (spans.some(([start, end]) => taken.some(([from, to]) => start <= to && from <= end))) continue;
      taken.push(...spans);
      chosen.push(hazard);
    }
    let result = tryEdits(chosen.flatMap((hazard) => hazard.fix!.edits));
    if (result) {
      applied.push(...chosen);
    } else {
      // One of them breaks the text: find which, and keep the first that does not.
      for (const hazard of chosen) {
        result = tryEdits(hazard.fix!.edits);
        if (result) {
          applied.push(hazard);
          break;
        }
        rejected.push(hazard);
        rejectedKeys.add(fixKey(hazard));
      }
      if (!result) continue;
    }
    current = result.text;
    analysis = result.analysis;
  }
  const left = analysis.hazards.some((hazard) => fixApplies(hazard, options.unsafe) && !rejectedKeys.has(fixKey(hazard)));
  return { text: current, applied, rejected, exhausted: left };
}

/** Applies every safe fix (see `applyFixes`): what an editor's fix-all does. */
export function applySafeFixes(text: string, analyse: (text: string) => FixPassAnalysis, maxPasses = DEFAULT_MAX_ROUNDS): string {
  return applyFixes(text, analyse, { unsafe: false, maxRounds: maxPasses }).text;
}

/** One edit turning `before` into `after`: the changed middle, so the cursor and undo stay where they were elsewhere. */
export function replacementEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const region = changedRegion(before, after);
  let prefix = region.start;
  let suffix = before.length - region.oldEnd;
  // Never split a surrogate pair or a CRLF.
  while (prefix > 0 && /[\uD800-\uDBFF\r]/.test(before[prefix - 1]!)) prefix--;
  while (suffix > 0 && /[\uDC00-\uDFFF\n]/.test(before[before.length - suffix]!)) suffix--;
  return {
    range: { start: positionAt(before, prefix), end: positionAt(before, before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}

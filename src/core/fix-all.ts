/**
 * Fix-all: every safe fix of a text, applied pass by pass, and the one edit that turns the text
 * into the result. Pure, so the language server and the tsserver plugin share it.
 */
import type { Hazard, TextEdit } from './hazard';
import { applyTextEdits, offsetAt, positionAt } from './text-edits';

/** Whether fix-all applies the hazard's fix: safe ones always, unsafe ones only when asked for. */
export function fixApplies(hazard: Hazard, unsafeFixes: boolean): boolean {
  return hazard.fix !== undefined && hazard.fix.edits.length > 0 && (hazard.fix.applicability === 'safe' || unsafeFixes);
}

/** What one pass of fix-all needs from the analysis of a text. */
export interface FixPassAnalysis {
  hazards: readonly Hazard[];
  syntaxErrors: number;
}

/**
 * Applies every safe fix, the way Ruff's fix-all does: each pass applies the fixes whose edits
 * neither overlap nor touch one already taken, then re-analyses, until nothing safe is left. A
 * pass that would add syntax errors is dropped. Applying it again to its result changes nothing.
 */
export function applySafeFixes(text: string, analyse: (text: string) => FixPassAnalysis, maxPasses = 10): string {
  let current = text;
  let analysis = analyse(current);
  for (let pass = 0; pass < maxPasses; pass++) {
    const taken: [number, number][] = [];
    const edits: TextEdit[] = [];
    for (const hazard of analysis.hazards) {
      if (hazard.fix?.applicability !== 'safe' || hazard.fix.edits.length === 0) continue;
      const spans = hazard.fix.edits.map((edit): [number, number] => [offsetAt(current, edit.range.start), offsetAt(current, edit.range.end)]);
      if (spans.some(([start, end]) => taken.some(([from, to]) => start <= to && from <= end))) continue;
      taken.push(...spans);
      edits.push(...hazard.fix.edits);
    }
    if (edits.length === 0) break;
    let fixed: string;
    try {
      fixed = applyTextEdits(current, edits);
    } catch {
      break;
    }
    const next = analyse(fixed);
    if (next.syntaxErrors > analysis.syntaxErrors) break;
    current = fixed;
    analysis = next;
  }
  return current;
}

/** One edit turning `before` into `after`: the changed middle, so the cursor and undo stay where they were elsewhere. */
export function replacementEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair or a CRLF.
  while (prefix > 0 && /[\uD800-\uDBFF\r]/.test(before[prefix - 1]!)) prefix--;
  while (suffix > 0 && /[\uDC00-\uDFFF\n]/.test(before[before.length - suffix]!)) suffix--;
  return {
    range: { start: positionAt(before, prefix), end: positionAt(before, before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}

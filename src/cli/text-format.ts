import type { Range } from '../core/facts';
import type { Hazard } from '../core/hazard';
import { displayPath, type CheckResults } from './check-results';
import { characterCount } from './source-lines';
import type { Palette } from './terminal-style';

/** Lines of context shown before and after the reported range. */
const CONTEXT_LINES = 2;
/** A long range shows this many of its lines; the frame says how many it left out. */
const MAX_RANGE_LINES = 6;
const TAB = '    ';

/**
 * Ruff-style text: `path:row:col: CODE [name] message`, a code frame with carets under the
 * range, related locations as `= note:` lines and the fix as `= help:`, then a summary.
 */
export function formatText(results: CheckResults, palette: Palette, options: { summary: boolean }): string {
  const blocks = results.hazards.map((hazard) => formatHazard(hazard, results, palette));
  if (options.summary) blocks.push(summaryLine(results.hazards.length, palette) + notAnalysedNote(results.notAnalysed.length));
  return blocks.length === 0 ? '' : `${blocks.join('\n')}\n`;
}

/** The files themselves are listed on stderr as the run meets them; the summary only counts them. */
function notAnalysedNote(count: number): string {
  return count === 0 ? '' : ` ${count} ${count === 1 ? 'file was' : 'files were'} not analysed (listed above).`;
}

function summaryLine(count: number, palette: Palette): string {
  if (count === 0) return palette.bold('No hazards found.');
  return palette.bold(`Found ${count} ${count === 1 ? 'hazard' : 'hazards'}.`);
}

function location(results: CheckResults, path: string, range: Range): string {
  const { row, column } = results.lines.display(path, range.start);
  return `${displayPath(results.cwd, path)}:${row}:${column}`;
}

function formatHazard(hazard: Hazard, results: CheckResults, palette: Palette): string {
  const header =
    `${palette.bold(location(results, hazard.path, hazard.range))}: ` +
    `${palette.severity(hazard.severity, hazard.code)} ${palette.dim(`[${hazard.name}]`)} ${hazard.message}`;
  const out = [header];
  const lines = results.lines.lines(hazard.path);
  if (lines) out.push(...codeFrame(lines, hazard, palette));
  const width = lines ? gutterWidth(hazard.range) : 0;
  const indent = ' '.repeat(width + 1);
  for (const related of hazard.related) {
    out.push(`${indent}${palette.gutter('=')} ${palette.bold('note')}: ${location(results, related.path, related.range)}: ${related.message}`);
  }
  if (hazard.fix) {
    out.push(`${indent}${palette.gutter('=')} ${palette.help('help')}: ${hazard.fix.message} (${hazard.fix.applicability} fix)`);
  }
  return `${out.join('\n')}\n`;
}

/** The last line the range covers a character of: a range ending at column 0 stops the line before. */
function lastRangeLine(range: Range): number {
  return range.end.line > range.start.line && range.end.character === 0 ? range.end.line - 1 : range.end.line;
}

function lastShownLine(range: Range): number {
  return Math.min(lastRangeLine(range), range.start.line + MAX_RANGE_LINES - 1);
}

function gutterWidth(range: Range): number {
  return String(lastShownLine(range) + CONTEXT_LINES + 1).length;
}

/** Expands tabs so carets line up under what the terminal shows. */
function displayText(text: string): string {
  return text.replace(/\t/g, TAB);
}

function displayWidth(text: string): number {
  return characterCount(displayText(text));
}

function codeFrame(lines: readonly string[], hazard: Hazard, palette: Palette): string[] {
  const { start, end } = hazard.range;
  const rangeEnd = lastRangeLine(hazard.range);
  const lastMarked = lastShownLine(hazard.range);
  const hidden = rangeEnd - lastMarked;
  const first = Math.max(0, start.line - CONTEXT_LINES);
  // After a cut-short range, context lines would be unmarked lines of the range itself.
  const last = hidden > 0 ? lastMarked : Math.min(lines.length - 1, lastMarked + CONTEXT_LINES);
  const width = gutterWidth(hazard.range);
  const bar = palette.gutter(`${' '.repeat(width)} |`);
  const frame = [bar];
  for (let line = first; line <= last; line++) {
    const text = lines[line] ?? '';
    frame.push(`${palette.gutter(`${String(line + 1).padStart(width)} |`)} ${displayText(text)}`.trimEnd());
    if (line < start.line || line > lastMarked) continue;
    const from = line === start.line ? start.character : 0;
    const to = line === end.line ? end.character : text.length;
    const offset = displayWidth(text.slice(0, from));
    const length = Math.max(1, displayWidth(text.slice(from, to)));
    const label = line === lastMarked ? ` ${hazard.code}` : '';
    frame.push(`${bar} ${' '.repeat(offset)}${palette.severity(hazard.severity, `${'^'.repeat(length)}${label}`)}`);
    if (line === lastMarked && hidden > 0) frame.push(`${bar} ${palette.dim(`… ${hidden} more ${hidden === 1 ? 'line' : 'lines'}`)}`);
  }
  frame.push(bar);
  return frame;
}

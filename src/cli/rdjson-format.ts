import type { Position, Range } from '../core/facts';
import type { Severity } from '../core/hazard';
import { ruleUrl } from '../core/rule';
import { displayPath, type CheckResults } from './check-results';
import { NOT_ANALYSED, notAnalysedMessage } from './not-analysed';

const SEVERITY: Record<Severity, 'ERROR' | 'WARNING' | 'INFO'> = {
  error: 'ERROR',
  warning: 'WARNING',
  info: 'INFO',
  hint: 'INFO',
};

/** A position as reviewdog counts it: 1-based line, 1-based column in UTF-8 bytes. */
interface RdPosition {
  line: number;
  column: number;
}

interface RdRange {
  start: RdPosition;
  end: RdPosition;
}

interface RdLocation {
  path: string;
  range: RdRange;
}

/** A `Diagnostic` of the Reviewdog Diagnostic Format (proto/rdf/reviewdog.proto). */
export interface RdDiagnostic {
  message: string;
  location: RdLocation;
  severity: (typeof SEVERITY)[Severity];
  source: { name: string };
  code: { value: string; url?: string };
  suggestions?: { range: RdRange; text: string }[];
  related_locations?: { message: string; location: RdLocation }[];
}

/**
 * `--format rdjson`: reviewdog's `DiagnosticResult`, for `reviewdog -f=rdjson`. Fix edits become
 * suggestions, which reviewdog posts as suggested changes. A file that was not analysed is an
 * `ERROR` at its start, with `not-analysed` for a code.
 */
export function formatRdjson(results: CheckResults): string {
  const position = (path: string, at: Position): RdPosition => {
    const line = results.lines.line(path, at.line);
    const column = line === undefined ? at.character : Buffer.byteLength(line.slice(0, at.character), 'utf8');
    return { line: at.line + 1, column: column + 1 };
  };
  const range = (path: string, span: Range): RdRange => ({ start: position(path, span.start), end: position(path, span.end) });
  const location = (path: string, span: Range): RdLocation => ({ path: displayPath(results.cwd, path), range: range(path, span) });
  const diagnostics = results.hazards.map((hazard): RdDiagnostic => ({
    message: hazard.explanation === undefined ? hazard.message : `${hazard.message}\n\n${hazard.explanation}`,
    location: location(hazard.path, hazard.range),
    severity: SEVERITY[hazard.severity],
    source: { name: 'interleave' },
    code: { value: hazard.code, url: ruleUrl(hazard) },
    ...(hazard.fix ? { suggestions: hazard.fix.edits.map((edit) => ({ range: range(hazard.path, edit.range), text: edit.newText })) } : {}),
    ...(hazard.related.length > 0
      ? { related_locations: hazard.related.map((related) => ({ message: related.message, location: location(related.path, related.range) })) }
      : {}),
  }));
  const start = { line: 1, column: 1 };
  for (const file of results.notAnalysed) {
    diagnostics.push({
      message: notAnalysedMessage(file),
      location: { path: displayPath(results.cwd, file.path), range: { start, end: start } },
      severity: 'ERROR',
      source: { name: 'interleave' },
      code: { value: NOT_ANALYSED },
    });
  }
  const result = { source: { name: 'interleave', url: 'https://github.com/interleave-dev/interleave' }, diagnostics };
  return `${JSON.stringify(result, null, 2)}\n`;
}

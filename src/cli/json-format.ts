import type { Range } from '../core/facts';
import type { Hazard, Severity } from '../core/hazard';
import { ruleUrl } from '../core/rule';
import type { CheckResults } from './check-results';
import { NOT_ANALYSED, notAnalysedMessage, type NotAnalysedFile } from './not-analysed';
import type { DisplayPosition } from './source-lines';

/**
 * One hazard in `--format json`, the contract in DESIGN.md: Ruff's JSON shape, so tools that read
 * Ruff's output read ours. Rows and columns are 1-based; columns count characters, as Ruff's do.
 */
export interface JsonHazard {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  /** Absolute path. */
  filename: string;
  location: DisplayPosition;
  end_location: DisplayPosition;
  url: string;
  related: JsonRelatedLocation[];
  fix: JsonFix | null;
}

export interface JsonRelatedLocation {
  filename: string;
  location: DisplayPosition;
  end_location: DisplayPosition;
  message: string;
}

export interface JsonFix {
  applicability: 'safe' | 'unsafe';
  message: string;
  edits: JsonEdit[];
}

/** Ruff's edit shape: replace `location`..`end_location` with `content`. */
export interface JsonEdit {
  content: string;
  location: DisplayPosition;
  end_location: DisplayPosition;
}

export function toJsonHazard(hazard: Hazard, results: Pick<CheckResults, 'lines'>): JsonHazard {
  const span = (path: string, range: Range) => ({
    location: results.lines.display(path, range.start),
    end_location: results.lines.display(path, range.end),
  });
  return {
    code: hazard.code,
    name: hazard.name,
    severity: hazard.severity,
    message: hazard.message,
    filename: hazard.path,
    ...span(hazard.path, hazard.range),
    url: ruleUrl(hazard),
    related: hazard.related.map((related) => ({
      filename: related.path,
      ...span(related.path, related.range),
      message: related.message,
    })),
    fix: hazard.fix
      ? {
          applicability: hazard.fix.applicability,
          message: hazard.fix.message,
          edits: hazard.fix.edits.map((edit) => ({ content: edit.newText, ...span(hazard.path, edit.range) })),
        }
      : null,
  };
}

/**
 * A file that was not analysed, as Ruff writes an E902 or a syntax error it could not lint past:
 * an entry of the same array, at the file's start, with no rule code.
 */
export interface JsonNotAnalysed extends Omit<JsonHazard, 'code' | 'url'> {
  code: null;
  name: typeof NOT_ANALYSED;
  url: null;
}

export function toJsonNotAnalysed(file: NotAnalysedFile): JsonNotAnalysed {
  const start = { row: 1, column: 1 };
  return {
    code: null,
    name: NOT_ANALYSED,
    severity: 'error',
    message: notAnalysedMessage(file),
    filename: file.path,
    location: start,
    end_location: start,
    url: null,
    related: [],
    fix: null,
  };
}

export function formatJson(results: CheckResults): string {
  const entries = [...results.hazards.map((hazard) => toJsonHazard(hazard, results)), ...results.notAnalysed.map(toJsonNotAnalysed)];
  return `${JSON.stringify(entries, null, 2)}\n`;
}

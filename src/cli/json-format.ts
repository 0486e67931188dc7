import type { Range } from '../core/facts';
import type { Hazard, Severity } from '../core/hazard';
import { ruleUrl } from '../core/rule';
import type { CheckResults } from './check-results';
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
  /** Why it breaks and what to do instead (Markdown); only on findings that carry one. */
  explanation?: string;
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
    ...(hazard.explanation !== undefined ? { explanation: hazard.explanation } : {}),
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

export function formatJson(results: CheckResults): string {
  return `${JSON.stringify(results.hazards.map((hazard) => toJsonHazard(hazard, results)), null, 2)}\n`;
}

/** `--format json-lines`: the JSON format's objects, one per line, for streaming readers. */
export function formatJsonLines(results: CheckResults): string {
  return results.hazards.map((hazard) => `${JSON.stringify(toJsonHazard(hazard, results))}\n`).join('');
}

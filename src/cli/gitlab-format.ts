import { createHash } from 'node:crypto';
import { findingFingerprint, flaggedText } from '../core/fingerprint';
import type { Severity } from '../core/hazard';
import { displayPath, type CheckResults } from './check-results';
import { NOT_ANALYSED, notAnalysedMessage, type NotAnalysedFile } from './not-analysed';

/** GitLab's severities, from `info` to `blocker`. */
const SEVERITY: Record<Severity, 'info' | 'minor' | 'major' | 'critical'> = {
  error: 'critical',
  warning: 'major',
  info: 'minor',
  hint: 'info',
};

/** One issue of a Code Quality report: the fields GitLab documents, and Code Climate's `content` for the explanation. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: (typeof SEVERITY)[Severity];
  location: { path: string; lines: { begin: number; end: number } };
  content?: { body: string };
}

const fingerprint = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 32);

/** A file that was not analysed: a `critical` issue at its first line, as the run's errors are. */
function notAnalysedIssue(file: NotAnalysedFile, projectDirectory: string): CodeQualityIssue {
  const path = displayPath(projectDirectory, file.path);
  return {
    description: notAnalysedMessage(file),
    check_name: NOT_ANALYSED,
    fingerprint: fingerprint(`${path}\0${NOT_ANALYSED}`),
    severity: 'critical',
    location: { path, lines: { begin: 1, end: 1 } },
  };
}

/**
 * `--format gitlab`: a Code Quality report (`artifacts:reports:codequality`). Paths are relative to
 * `projectDirectory` (GitLab's `CI_PROJECT_DIR`, else the working directory). A fingerprint is
 * unique within the report and stays the same when lines move, so the merge request widget tells
 * new findings from old ones.
 */
export function formatGitlab(results: CheckResults, projectDirectory: string): string {
  const seen = new Map<string, number>();
  const issues = results.hazards.map((hazard): CodeQualityIssue => {
    const path = displayPath(projectDirectory, hazard.path);
    const finding = findingFingerprint(hazard.code, flaggedText(results.lines.lines(hazard.path) ?? [], hazard.range));
    const key = `${path}\0${finding}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      description: `${hazard.code} ${hazard.name}: ${hazard.message}`,
      check_name: hazard.code,
      fingerprint: fingerprint(`${key}\0${occurrence}`),
      severity: SEVERITY[hazard.severity],
      location: { path, lines: { begin: hazard.range.start.line + 1, end: hazard.range.end.line + 1 } },
      ...(hazard.explanation !== undefined ? { content: { body: hazard.explanation } } : {}),
    };
  });
  issues.push(...results.notAnalysed.map((file) => notAnalysedIssue(file, projectDirectory)));
  return `${JSON.stringify(issues, null, 2)}\n`;
}

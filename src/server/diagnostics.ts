/**
 * The one place engine hazards become LSP diagnostics. Everything a code action, the hover or the
 * explainer needs later travels in `data`, so a client can hand a diagnostic back and the server
 * can act on it without re-running the analysis.
 */
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver/node';
import type { Fix, Hazard, Severity } from '../core/hazard';
import { ruleUrl } from '../core/rule';
import { isRange } from './request-params';

export const DIAGNOSTIC_SOURCE = 'interleave';

/** What `Diagnostic.data` carries for an Interleave finding. */
export interface HazardDiagnosticData {
  /** The document version the finding was computed from; its fix edits refer to that text. */
  version?: number;
  fix?: Fix;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Rules whose findings an editor may render specially: struck through for deprecated APIs. */
const TAGS: Readonly<Record<string, DiagnosticTag[]>> = {
  IL303: [DiagnosticTag.Deprecated],
};

export interface DiagnosticContext {
  /** The version of the document the hazard was found in; undefined for files not open. */
  version?: number;
  /** The URI of a path a hazard names: its own document's, or a file's. */
  uriOf(path: string): string;
}

export function hazardToDiagnostic(hazard: Hazard, context: DiagnosticContext): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = hazard.related.map((related) => ({
    location: { uri: context.uriOf(related.path), range: related.range },
    message: related.message,
  }));
  const data: HazardDiagnosticData = { version: context.version, fix: hazard.fix };
  return {
    range: hazard.range,
    severity: SEVERITY[hazard.severity],
    code: hazard.code,
    codeDescription: { href: ruleUrl(hazard) },
    source: DIAGNOSTIC_SOURCE,
    message: hazard.message,
    ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
    ...(TAGS[hazard.code] ? { tags: TAGS[hazard.code] } : {}),
    data,
  };
}

/** The data of a diagnostic this server published, or undefined for anyone else's. */
export function hazardDataOf(diagnostic: Diagnostic): HazardDiagnosticData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.data !== 'object' || diagnostic.data === null) return undefined;
  const { version, fix } = diagnostic.data as Record<string, unknown>;
  return {
    version: typeof version === 'number' ? version : undefined,
    fix: isFix(fix) ? fix : undefined,
  };
}

/** A fix as this server wrote it; the client hands `data` back, so its shape is checked, not trusted. */
function isFix(value: unknown): value is Fix {
  if (typeof value !== 'object' || value === null) return false;
  const fix = value as Partial<Fix>;
  return (
    (fix.applicability === 'safe' || fix.applicability === 'unsafe') &&
    typeof fix.message === 'string' &&
    Array.isArray(fix.edits) &&
    fix.edits.every((edit: unknown) => isTextEdit(edit))
  );
}

function isTextEdit(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const edit = value as { range?: unknown; newText?: unknown };
  return typeof edit.newText === 'string' && isRange(edit.range);
}

import type { Severity } from '../core/hazard';
import { displayPath, type CheckResults } from './check-results';
import { notAnalysedMessage } from './not-analysed';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** Escapes a workflow command's message, as the Actions toolkit does. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value, where `:` and `,` are separators too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one annotation per hazard on the pull request's diff, its explanation under the message. */
export function formatGithub(results: CheckResults): string {
  return results.hazards
    .map((hazard) => {
      const start = results.lines.display(hazard.path, hazard.range.start);
      const end = results.lines.display(hazard.path, hazard.range.end);
      const properties: [string, string][] = [
        ['file', displayPath(results.cwd, hazard.path)],
        ['line', String(start.row)],
        ['endLine', String(end.row)],
        ['col', String(start.column)],
        ['endColumn', String(end.column)],
        ['title', `${hazard.code} (${hazard.name})`],
      ];
      const escaped = properties.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
      const message = hazard.explanation === undefined ? hazard.message : `${hazard.message}\n\n${hazard.explanation}`;
      return `::${COMMAND[hazard.severity]} ${escaped}::${escapeData(message)}\n`;
    })
    .concat(
      results.notAnalysed.map(
        (file) => `::error file=${escapeProperty(displayPath(results.cwd, file.path))},title=${escapeProperty('Interleave: not analysed')}::${escapeData(notAnalysedMessage(file))}\n`,
      ),
    )
    .join('');
}

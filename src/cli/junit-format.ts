import { displayPath, type CheckResults } from './check-results';
import type { Hazard } from '../core/hazard';
import { NOT_ANALYSED, notAnalysedMessage, type NotAnalysedFile } from './not-analysed';

/** Characters XML 1.0 cannot hold at all, even escaped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Text content keeps its line breaks; only markup characters are escaped. */
function escapeXmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/**
 * `--format junit`: JUnit XML as CI test reports read it (GitLab's `artifacts:reports:junit`,
 * Jenkins, Azure): one test suite per file with hazards, one failed test case per hazard. A file
 * that was not analysed is a test case in error (it could not run), in its own file's suite. A clean
 * run is one passing test case, so the report shows a green check rather than nothing.
 */
export function formatJunit(results: CheckResults): string {
  const byFile = new Map<string, { hazards: Hazard[]; notAnalysed?: NotAnalysedFile }>();
  const entry = (path: string) => byFile.get(path) ?? byFile.set(path, { hazards: [] }).get(path)!;
  for (const hazard of results.hazards) entry(hazard.path).hazards.push(hazard);
  for (const file of results.notAnalysed) entry(file.path).notAnalysed = file;
  const failures = results.hazards.length;
  const errors = results.notAnalysed.length;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attributes({ name: 'interleave', tests: Math.max(failures + errors, 1), failures, errors })}>`];
  for (const [path, { hazards, notAnalysed }] of byFile) {
    const file = displayPath(results.cwd, path);
    const suiteErrors = notAnalysed === undefined ? 0 : 1;
    out.push(`  <testsuite${attributes({ name: file, tests: hazards.length + suiteErrors, failures: hazards.length, errors: suiteErrors, skipped: 0 })}>`);
    if (notAnalysed !== undefined) {
      const message = notAnalysedMessage(notAnalysed);
      out.push(
        `    <testcase${attributes({ name: `${NOT_ANALYSED} ${file}`, classname: file, file })}>`,
        `      <error${attributes({ message, type: NOT_ANALYSED })}>${escapeXmlText(`${file}: ${message}`)}</error>`,
        '    </testcase>',
      );
    }
    for (const hazard of hazards) {
      const { row, column } = results.lines.display(hazard.path, hazard.range.start);
      const body = [`${file}:${row}:${column}: ${hazard.message}`, ...(hazard.explanation !== undefined ? ['', hazard.explanation] : [])].join('\n');
      out.push(
        `    <testcase${attributes({ name: `${hazard.code} ${hazard.name} at ${file}:${row}:${column}`, classname: file, file, line: row })}>`,
        `      <failure${attributes({ message: hazard.message, type: hazard.code })}>${escapeXmlText(body)}</failure>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  if (byFile.size === 0) {
    out.push(`  <testsuite${attributes({ name: 'interleave', tests: 1, failures: 0, errors: 0, skipped: 0 })}>`, '    <testcase name="no hazards" classname="interleave"/>', '  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

import { displayPath, type CheckResults } from './check-results';
import type { Hazard } from '../core/hazard';

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
 * Jenkins, Azure): one test suite per file with hazards, one failed test case per hazard. A clean run
 * is one passing test case, so the report shows a green check rather than nothing.
 */
export function formatJunit(results: CheckResults): string {
  const byFile = new Map<string, Hazard[]>();
  for (const hazard of results.hazards) byFile.set(hazard.path, [...(byFile.get(hazard.path) ?? []), hazard]);
  const count = results.hazards.length;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attributes({ name: 'interleave', tests: Math.max(count, 1), failures: count, errors: 0 })}>`];
  for (const [path, hazards] of byFile) {
    const file = displayPath(results.cwd, path);
    out.push(`  <testsuite${attributes({ name: file, tests: hazards.length, failures: hazards.length, errors: 0, skipped: 0 })}>`);
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
  if (count === 0) {
    out.push(`  <testsuite${attributes({ name: 'interleave', tests: 1, failures: 0, errors: 0, skipped: 0 })}>`, '    <testcase name="no hazards" classname="interleave"/>', '  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

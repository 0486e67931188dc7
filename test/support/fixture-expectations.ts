import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIX_SNAPSHOT_EXTENSION } from './fix-snapshots';

/** Test fixtures live under test/fixtures/<language>/<rule-name>/. */
export const FIXTURES_ROOT = join(__dirname, '..', 'fixtures');

export interface FixtureExpectations {
  /** 0-based line → codes expected to start on that line. */
  expected: Map<number, string[]>;
  /** 0-based lines marked `# OK`: tempting shapes that must stay silent. */
  negatives: Set<number>;
  /** 0-based line → codes of a diagnostic elsewhere that lists the line as related information. */
  related: Map<number, string[]>;
}

const EXPECT = /(?:#|\/\/)\s*((?:IL\d{3})(?:\s*,\s*IL\d{3})*)\b/;
const OK = /(?:#|\/\/)\s*OK\b/;
const RELATED = /(?:#|\/\/)\s*related\s+((?:IL\d{3})(?:\s*,\s*IL\d{3})*)\b/;

/**
 * Reads inline expectations: a trailing `# IL101` (or `// IL101`) says a diagnostic of that code
 * starts on the line; `# related IL201` that no diagnostic starts there, but one of that code
 * elsewhere names the line among its related locations (one finding for several calls); `# OK`
 * marks a line that must have none.
 */
export function parseExpectations(source: string): FixtureExpectations {
  const expected = new Map<number, string[]>();
  const negatives = new Set<number>();
  const related = new Map<number, string[]>();
  source.split(/\r?\n/).forEach((text, line) => {
    const codes = EXPECT.exec(text);
    const relatedCodes = RELATED.exec(text);
    if (codes) expected.set(line, codes[1]!.split(/\s*,\s*/));
    else if (relatedCodes) related.set(line, relatedCodes[1]!.split(/\s*,\s*/));
    else if (OK.test(text)) negatives.add(line);
  });
  return { expected, negatives, related };
}

export function fixtureFiles(language: string, ruleName: string): string[] {
  const dir = join(FIXTURES_ROOT, language, ruleName);
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith('.') && !name.endsWith(FIX_SNAPSHOT_EXTENSION))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

export function readFixture(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Deployment fixtures: test/fixtures/deployment/<rule-name>/<case>/, each case a small project. */
export const DEPLOYMENT_FIXTURES_ROOT = join(FIXTURES_ROOT, 'deployment');

const NEXT_LINE = /^\s*#\s*next-line:\s*(OK\b|(?:IL\d{3})(?:\s*,\s*IL\d{3})*)/;

/**
 * Expectations in a deployment file: a trailing `# IL601` or `# OK` where the format allows
 * comments after code, and `# next-line: IL602` / `# next-line: OK` on a line of its own for the
 * next line that is not a comment (a Dockerfile has no trailing comments).
 */
export function parseDeploymentExpectations(source: string): FixtureExpectations {
  const lines = source.split(/\r?\n/);
  const { expected, negatives, related } = parseExpectations(lines.map((line) => (NEXT_LINE.test(line) ? '' : line)).join('\n'));
  lines.forEach((text, index) => {
    const marker = NEXT_LINE.exec(text)?.[1];
    if (!marker) return;
    let target = index + 1;
    while (target < lines.length && /^\s*#/.test(lines[target]!)) target++;
    if (marker.startsWith('OK')) negatives.add(target);
    else expected.set(target, marker.split(/\s*,\s*/));
  });
  return { expected, negatives, related };
}

/** The case directories of a deployment rule's fixtures. */
export function deploymentFixtureCases(ruleName: string): string[] {
  const dir = join(DEPLOYMENT_FIXTURES_ROOT, ruleName);
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/** Every file of a fixture case, recursively, sorted. */
export function caseFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? caseFiles(join(root, entry.name)) : [join(root, entry.name)]))
    .sort();
}

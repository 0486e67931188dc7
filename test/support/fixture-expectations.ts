import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Test fixtures live under test/fixtures/<language>/<rule-name>/. */
export const FIXTURES_ROOT = join(__dirname, '..', 'fixtures');

export interface FixtureExpectations {
  /** 0-based line → codes expected to start on that line. */
  expected: Map<number, string[]>;
  /** 0-based lines marked `# OK`: tempting shapes that must stay silent. */
  negatives: Set<number>;
}

const EXPECT = /(?:#|\/\/)\s*((?:IL\d{3})(?:\s*,\s*IL\d{3})*)\b/;
const OK = /(?:#|\/\/)\s*OK\b/;

/**
 * Reads inline expectations: a trailing `# IL101` (or `// IL101`) says a diagnostic of that code
 * starts on the line; `# OK` marks a line that must have none.
 */
export function parseExpectations(source: string): FixtureExpectations {
  const expected = new Map<number, string[]>();
  const negatives = new Set<number>();
  source.split(/\r?\n/).forEach((text, line) => {
    const codes = EXPECT.exec(text);
    if (codes) expected.set(line, codes[1]!.split(/\s*,\s*/));
    else if (OK.test(text)) negatives.add(line);
  });
  return { expected, negatives };
}

export function fixtureFiles(language: string, ruleName: string): string[] {
  const dir = join(FIXTURES_ROOT, language, ruleName);
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

export function readFixture(path: string): string {
  return readFileSync(path, 'utf8');
}

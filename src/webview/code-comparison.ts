/**
 * The user's code next to the fixed code: the two excerpts aligned line by line, unchanged lines
 * side by side and changed ones marked, from a longest-common-subsequence line diff (excerpts are
 * a few dozen lines, so the quadratic table is cheap). Lines align on their text without the
 * indentation, so a statement the fix re-indents (into an `async with`) stays beside itself.
 */

export interface ComparedLine {
  number: number;
  text: string;
  changed: boolean;
}

export interface ComparisonRow {
  before?: ComparedLine;
  after?: ComparedLine;
}

export function compareExcerpts(before: string, after: string | undefined, startLine: number): ComparisonRow[] {
  const beforeLines = before.split('\n');
  if (after === undefined) return beforeLines.map((text, index) => ({ before: { number: startLine + index, text, changed: false } }));
  const afterLines = after.split('\n');
  const same = (i: number, j: number): boolean => beforeLines[i].trim() === afterLines[j].trim();
  // common[i][j]: the length of the longest common subsequence of beforeLines[i..] and afterLines[j..].
  const common = Array.from({ length: beforeLines.length + 1 }, () => new Array<number>(afterLines.length + 1).fill(0));
  for (let i = beforeLines.length - 1; i >= 0; i--) {
    for (let j = afterLines.length - 1; j >= 0; j--) {
      common[i][j] = same(i, j) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const rows: ComparisonRow[] = [];
  let removed: ComparedLine[] = [];
  let added: ComparedLine[] = [];
  // Removed and added lines between two unchanged ones share rows, so a replaced line sits beside its replacement.
  const flushChanges = (): void => {
    for (let index = 0; index < Math.max(removed.length, added.length); index++) rows.push({ before: removed[index], after: added[index] });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < beforeLines.length || j < afterLines.length) {
    if (i < beforeLines.length && j < afterLines.length && same(i, j)) {
      flushChanges();
      const reindented = beforeLines[i] !== afterLines[j];
      rows.push({
        before: { number: startLine + i, text: beforeLines[i], changed: reindented },
        after: { number: startLine + j, text: afterLines[j], changed: reindented },
      });
      i++;
      j++;
    } else if (j >= afterLines.length || (i < beforeLines.length && common[i + 1][j] >= common[i][j + 1])) {
      removed.push({ number: startLine + i, text: beforeLines[i], changed: true });
      i++;
    } else {
      added.push({ number: startLine + j, text: afterLines[j], changed: true });
      j++;
    }
  }
  flushChanges();
  return rows;
}

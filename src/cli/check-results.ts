import { relative, sep } from 'node:path';
import type { Hazard, Severity } from '../core/hazard';
import type { RuleMeta } from '../core/rule';
import type { NotAnalysedFile } from './not-analysed';
import type { SourceLines } from './source-lines';

/** What every output format renders: the hazards of one run and what is needed to show them. */
export interface CheckResults {
  /** Sorted by path, line, column and code. */
  hazards: readonly Hazard[];
  /** Files that should have been analysed and were not, sorted by path. */
  notAnalysed: readonly NotAnalysedFile[];
  lines: SourceLines;
  /** The rules that ran, by code. */
  rules: readonly RuleMeta[];
  /** The severity each rule ran with, by code (its default unless configured). */
  severity: ReadonlyMap<string, Severity>;
  /** Paths are shown relative to this directory. */
  cwd: string;
}

/** A path as the user sees it: relative to the working directory, `/`-separated. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path) || '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}

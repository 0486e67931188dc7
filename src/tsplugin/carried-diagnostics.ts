/**
 * Findings carried over an edit. When analysing a file takes longer than a keystroke can wait,
 * the plugin answers an edited file's diagnostics with its last findings moved to where they now
 * are, and analyses it again once tsserver is idle. A finding the edit may have changed is left
 * out until then: one on a line the edit touched, or on the line after it, which a suppression
 * comment on the touched line silences.
 */
import type * as ts from 'typescript';
import { changedRegion } from '../core/text-edits';

/** The old file's diagnostics the edit to `newFile` cannot have changed, at their offsets in the new text. */
export function carryOver(diagnostics: readonly ts.Diagnostic[], oldFile: ts.SourceFile, newFile: ts.SourceFile): ts.Diagnostic[] {
  const region = changedRegion(oldFile.text, newFile.text);
  const lineStarts = oldFile.getLineStarts();
  const touchedFrom = lineStarts[oldFile.getLineAndCharacterOfPosition(region.start).line]!;
  // Up to the end of the line after the last one touched.
  const touchedTo = lineStarts[oldFile.getLineAndCharacterOfPosition(region.oldEnd).line + 2] ?? oldFile.text.length;
  const moved = (start: number, length: number): number | undefined => {
    if (start + length <= touchedFrom) return start;
    return start >= touchedTo ? start + region.newEnd - region.oldEnd : undefined;
  };
  return diagnostics.flatMap((diagnostic): ts.Diagnostic[] => {
    const start = diagnostic.start === undefined ? undefined : moved(diagnostic.start, diagnostic.length ?? 0);
    if (start === undefined) return [];
    const related = diagnostic.relatedInformation?.flatMap((information): ts.DiagnosticRelatedInformation[] => {
      if (information.file !== oldFile || information.start === undefined) return [information];
      const relatedStart = moved(information.start, information.length ?? 0);
      return relatedStart === undefined ? [] : [{ ...information, file: newFile, start: relatedStart }];
    });
    return [{ ...diagnostic, file: newFile, start, ...(related && { relatedInformation: related }) }];
  });
}

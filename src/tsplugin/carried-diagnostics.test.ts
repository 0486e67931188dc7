import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { carryOver } from './carried-diagnostics';

const OLD = ['const a = 1;', 'a++;', 'const b = 2;', 'b++;', 'const c = 3;', 'c++;', ''].join('\n');

function sourceFile(text: string): ts.SourceFile {
  return ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true);
}

/** A diagnostic on the first occurrence of `needle` in the old text. */
function at(file: ts.SourceFile, needle: string, relatedNeedle?: string): ts.Diagnostic {
  const related: ts.DiagnosticRelatedInformation[] | undefined =
    relatedNeedle === undefined ? undefined : [{ file, start: file.text.indexOf(relatedNeedle), length: relatedNeedle.length, messageText: 'read here', category: ts.DiagnosticCategory.Message, code: 1 }];
  return { file, start: file.text.indexOf(needle), length: needle.length, messageText: needle, category: ts.DiagnosticCategory.Warning, code: 1, ...(related && { relatedInformation: related }) };
}

/** What each carried diagnostic covers in the new text, and its related information's. */
function covered(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => {
    const own = diagnostic.file!.text.slice(diagnostic.start, diagnostic.start! + diagnostic.length!);
    const related = diagnostic.relatedInformation?.map((information) => information.file!.text.slice(information.start, information.start! + information.length!));
    return related ? `${own} (${related.join(', ')})` : own;
  });
}

describe('findings carried over an edit', () => {
  it('keeps findings above the edit where they were and moves those below it by what the edit added', () => {
    const oldFile = sourceFile(OLD);
    const newFile = sourceFile(OLD.replace('const b = 2;', 'const bee = 22;'));
    assert.deepEqual(covered(carryOver([at(oldFile, 'a++'), at(oldFile, 'c++')], oldFile, newFile)), ['a++', 'c++']);
    assert.equal(carryOver([at(oldFile, 'c++')], oldFile, newFile)[0]!.file, newFile);
  });

  it('leaves out findings on a line the edit touched and on the line after it, which a suppression comment there would silence', () => {
    const oldFile = sourceFile(OLD);
    const newFile = sourceFile(OLD.replace('const b = 2;', 'const b = 2; // interleave-ignore IL101'));
    assert.deepEqual(covered(carryOver([at(oldFile, 'const b'), at(oldFile, 'b++'), at(oldFile, 'const c')], oldFile, newFile)), ['const c']);
  });

  it('moves related information in the file with its finding, and leaves it out where the edit touched', () => {
    const oldFile = sourceFile(OLD);
    const newFile = sourceFile(OLD.replace('a++;', 'a += 10;'));
    assert.deepEqual(covered(carryOver([at(oldFile, 'c++', 'const c'), at(oldFile, 'const c', 'a++')], oldFile, newFile)), ['c++ (const c)', 'const c ()']);
  });
});

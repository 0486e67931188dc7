/**
 * Where one keystroke's analysis goes, measured in this process on the editor benchmark's file:
 * tree-sitter's incremental parse after a one-character edit, copying the tree into JS objects,
 * drawing the module's facts from it (from scratch, and from the previous extraction as the
 * language server does on a keystroke), and running every rule.
 */
import { checkModule } from '../../src/core/engine';
import { resolveConfig } from '../../src/core/config';
import { extractFacts } from '../../src/python/frontend';
import { parsePython } from '../../src/python/parser';
import { copyTree } from '../../src/python/syntax-tree';
import { RULES } from '../../src/rules';
import { loadFrontends } from '../../src/workspace/analyze';
import { ExtractionMemo } from '../../src/python/extraction-memo';
import { Edit, type Tree } from 'web-tree-sitter';

export interface AnalysisSteps {
  /** Mean milliseconds of each step, after warm-up runs. */
  fullParseMs: number;
  incrementalParseMs: number;
  copyTreeMs: number;
  /** The copy included. */
  factsMs: number;
  /**
   * Facts after the one-character edit, from the previous extraction's memo (the unchanged
   * statements' copy and functions' facts), as the language server draws them on each keystroke.
   */
  keystrokeFactsMs: number;
  /** Facts and every rule, from a fresh set of facts (rules cache what they derive per module). */
  factsAndRulesMs: number;
}

const WARM_UP = 5;
const SAMPLES = 30;

function meanMs(step: () => void): number {
  for (let run = 0; run < WARM_UP; run++) step();
  const started = performance.now();
  for (let run = 0; run < SAMPLES; run++) step();
  return (performance.now() - started) / SAMPLES;
}

export async function measureAnalysisSteps(path: string, text: string): Promise<AnalysisSteps> {
  await loadFrontends();
  const moduleName = 'app.router';
  const config = resolveConfig([], RULES.map((rule) => rule.meta));
  const options = { rules: RULES, config, project: {} };
  const tree = parsePython(text);
  let editedTree: Tree | undefined;
  try {
    // `x` typed after the first character of the middle line's code, as in the middle of a word.
    const lines = text.split('\n');
    let line = Math.floor(lines.length / 2);
    while (line < lines.length - 1 && !/\S/.test(lines[line]!)) line++;
    const column = lines[line]!.search(/\S/) + 1;
    const at = lines.slice(0, line).join('\n').length + 1 + column;
    const edited = `${text.slice(0, at)}x${text.slice(at)}`;
    const edit = new Edit({
      startIndex: at,
      oldEndIndex: at,
      newEndIndex: at + 1,
      startPosition: { row: line, column },
      oldEndPosition: { row: line, column },
      newEndPosition: { row: line, column: column + 1 },
    });
    editedTree = parsePython(edited);
    const memo = new ExtractionMemo();
    let typed = false;
    const keystrokeFacts = () => {
      typed = !typed;
      extractFacts(typed ? editedTree! : tree, typed ? edited : text, path, moduleName, memo);
    };
    return {
      fullParseMs: meanMs(() => parsePython(text).delete()),
      incrementalParseMs: meanMs(() => {
        const previous = tree.copy();
        previous.edit(edit);
        parsePython(edited, previous).delete();
        previous.delete();
      }),
      copyTreeMs: meanMs(() => copyTree(tree, text)),
      factsMs: meanMs(() => extractFacts(tree, text, path, moduleName)),
      keystrokeFactsMs: meanMs(keystrokeFacts),
      factsAndRulesMs: meanMs(() => checkModule(extractFacts(tree, text, path, moduleName), options)),
    };
  } finally {
    tree.delete();
    editedTree?.delete();
  }
}

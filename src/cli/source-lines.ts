import type { Position } from '../core/facts';

/** A 1-based row and column as people (and Ruff's JSON) count them: columns in characters. */
export interface DisplayPosition {
  row: number;
  column: number;
}

/**
 * The lines of the files being reported, to convert positions and draw code frames. Hazard
 * positions count UTF-16 code units (as LSP does); Ruff and terminals count characters, which
 * differ after an astral character such as an emoji.
 */
export class SourceLines {
  private readonly split = new Map<string, readonly string[]>();

  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  lines(path: string): readonly string[] | undefined {
    let lines = this.split.get(path);
    if (lines === undefined) {
      const text = this.sources.get(path);
      if (text === undefined) return undefined;
      // The same line breaks the engine counts.
      lines = text.split(/\r?\n|\r/);
      this.split.set(path, lines);
    }
    return lines;
  }

  line(path: string, line: number): string | undefined {
    return this.lines(path)?.[line];
  }

  /** 1-based row and character column; without the file's text, the UTF-16 column is kept. */
  display(path: string, position: Position): DisplayPosition {
    const text = this.line(path, position.line);
    const column = text === undefined ? position.character : characterCount(text.slice(0, position.character));
    return { row: position.line + 1, column: column + 1 };
  }
}

/** Characters (code points) in a string; string iteration pairs surrogates, a lone one counts once. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/**
 * A finding's message as a Problems row, a terminal line or an annotation shows it: one line of at
 * most HEADLINE_LENGTH characters, the rest moved to the explanation. Rules write their messages
 * whole (their tests assert them so); the surfaces cut them here, so the CLI, the language server
 * and the tsserver plugin show the same headline.
 */
import type { Hazard } from './hazard';

/** The longest message a surface shows on one line, Ruff's and ESLint's one-line messages being the model. */
export const HEADLINE_LENGTH = 120;

export interface Headline {
  message: string;
  explanation?: string;
}

/** Abbreviations whose period ends no sentence. */
const ABBREVIATION = /\b(e\.g|i\.e|etc|vs)$/i;

/**
 * Where a message can be cut: `clause`, the end of its first top-level clause (`: `, `; ` or `. `
 * outside code spans and parentheses); `word`, the last space outside code spans that leaves room
 * for the ellipsis.
 */
function cutPoints(message: string): { clause?: number; word?: number } {
  let inCode = false;
  let depth = 0;
  let clause: number | undefined;
  let word: number | undefined;
  for (let index = 0; index < message.length && index <= HEADLINE_LENGTH; index++) {
    const char = message[index]!;
    if (char === '`') inCode = !inCode;
    if (inCode) continue;
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (char === ' ' && index < HEADLINE_LENGTH) word = index;
    if (clause === undefined && depth === 0 && ':;.'.includes(char) && message[index + 1] === ' ') {
      if (char !== '.' || !ABBREVIATION.test(message.slice(0, index))) clause = index;
    }
  }
  return { clause, word };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A message cut to one line. An explanation the rule wrote is kept as it is, and so is a message
 * that fits. Otherwise the headline ends at the first clause when that fits (the rest of the
 * message becomes the explanation), else at the last word that fits, with `…` (and the whole
 * message is the explanation). A code span is never cut: a message that is one long code span
 * stays whole.
 */
export function headline(message: string, explanation?: string): Headline {
  const kept = explanation === undefined ? { message } : { message, explanation };
  if (explanation !== undefined || message.length <= HEADLINE_LENGTH) return kept;
  const { clause, word } = cutPoints(message);
  if (clause !== undefined) {
    return { message: message.slice(0, clause).trimEnd(), explanation: capitalized(message.slice(clause + 1).trimStart()) };
  }
  if (word === undefined) return kept;
  return { message: `${message.slice(0, word).replace(/[\s,;:]+$/, '')}…`, explanation: message };
}

/** The hazard as surfaces show it: its message cut to a headline, the rest in its explanation. */
export function withHeadline(hazard: Hazard): Hazard {
  const cut = headline(hazard.message, hazard.explanation);
  return cut.message === hazard.message ? hazard : { ...hazard, ...cut };
}

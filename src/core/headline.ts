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

interface Clause {
  /** Where the first top-level clause ends: `: `, `; ` or `. ` outside code spans and parentheses. */
  end?: number;
  /** The top-level parenthetical asides before it ends, `[open, close]`. */
  asides: [number, number][];
}

function firstClause(message: string): Clause {
  let inCode = false;
  let depth = 0;
  let opened = 0;
  const clause: Clause = { asides: [] };
  for (let index = 0; index < message.length; index++) {
    const char = message[index]!;
    if (char === '`') inCode = !inCode;
    if (inCode) continue;
    if (char === '(' && depth++ === 0) opened = index;
    else if (char === ')' && depth > 0 && --depth === 0) clause.asides.push([opened, index]);
    if (depth === 0 && ':;.'.includes(char) && message[index + 1] === ' ' && (char !== '.' || !ABBREVIATION.test(message.slice(0, index)))) {
      return { ...clause, end: index };
    }
  }
  return clause;
}

/** The text up to `end` without its parenthetical asides (` (at line 4)`, ` (`await x`)`). */
function withoutAsides(message: string, end: number, asides: readonly [number, number][]): string {
  let text = '';
  let cursor = 0;
  for (const [open, close] of asides) {
    text += message.slice(cursor, open).trimEnd();
    cursor = close + 1;
  }
  return (text + message.slice(cursor, end)).trimEnd();
}

/** The last space outside code spans that leaves room for the ellipsis. */
function lastWordBreak(text: string): number | undefined {
  let inCode = false;
  let found: number | undefined;
  for (let index = 0; index < HEADLINE_LENGTH; index++) {
    if (text[index] === '`') inCode = !inCode;
    else if (text[index] === ' ' && !inCode) found = index;
  }
  return found;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A message cut to one line. An explanation the rule wrote is kept as it is, and so is a message
 * that fits. Otherwise the headline is the first clause when that fits, and the rest of the message
 * becomes the explanation. Else it is that clause (or the whole message, without a clause) without
 * its parenthetical asides, cut at the last word that fits with `…` if it still does not fit; the
 * explanation then goes on from where the headline stops (`…` and the rest), so a hover that shows
 * both never says a thing twice. A code span is never cut: a message that is one long code span
 * stays whole.
 */
export function headline(message: string, explanation?: string): Headline {
  const kept = explanation === undefined ? { message } : { message, explanation };
  if (explanation !== undefined || message.length <= HEADLINE_LENGTH) return kept;
  const clause = firstClause(message);
  if (clause.end !== undefined && clause.end <= HEADLINE_LENGTH) {
    return { message: message.slice(0, clause.end).trimEnd(), explanation: capitalized(message.slice(clause.end + 1).trimStart()) };
  }
  const short = withoutAsides(message, clause.end ?? message.length, clause.asides);
  // What follows the first clause, which the headline does not say: the explanation never repeats the
  // headline, and ends with the asides the headline left out (where a client was made, the code of a line).
  const rest = clause.end === undefined ? '' : message.slice(clause.end + 1).trimStart();
  const asides = clause.asides.length === 0 ? '' : ` Details: ${clause.asides.map(([open, close]) => message.slice(open + 1, close).replace(/[.\s]+$/, '')).join('; ')}.`;
  if (short.length <= HEADLINE_LENGTH) return { message: short, explanation: rest === '' ? asides.trim() || message : `${capitalized(rest)}${asides}` };
  const word = lastWordBreak(short);
  if (word === undefined) return kept;
  const unsaid = short.slice(word).trim();
  return { message: `${short.slice(0, word).replace(/[\s,;:]+$/, '')}…`, explanation: `…${unsaid}${clause.end === undefined ? '' : `${message[clause.end]} ${rest}`}${asides}` };
}

/** The hazard as surfaces show it: its message cut to a headline, the rest in its explanation. */
export function withHeadline(hazard: Hazard): Hazard {
  const cut = headline(hazard.message, hazard.explanation);
  return cut.message === hazard.message ? hazard : { ...hazard, ...cut };
}

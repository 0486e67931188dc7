/**
 * The hover on a flagged range: the finding in the user's names, why the rule matters, the fix,
 * and links to the explainer and the rule's page. Markdown built from text the user wrote is
 * escaped, so code in a message can only ever render as code.
 */
import type { Hazard } from '../core/hazard';
import { ruleUrl, type RuleMeta } from '../core/rule';
import { EXPLAIN_COMMAND, type HazardReference } from './protocol';

/** Characters with a Markdown meaning anywhere in a paragraph (HTML included). */
const MARKDOWN_INLINE = /[\\`*_{}[\]<>&|~]/g;

function escapeMarkdownText(text: string): string {
  const escaped = text.replace(MARKDOWN_INLINE, (char) => (char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '&' ? '&amp;' : `\\${char}`));
  // A heading or list marker only counts at the start of a line.
  return escaped.replace(/^(\s*)([#+-])/gm, '$1\\$2').replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

/** A code span that holds any text, backticks included (CommonMark: a longer fence, padded). */
function codeSpan(code: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = code.startsWith('`') || code.endsWith('`') ? ` ${code} ` : code;
  return `${fence}${padded}${fence}`;
}

/**
 * Escapes a message whose user code is quoted in backticks (`` `current = Counter.value` ``):
 * the quoted parts become code spans, everything else literal text.
 */
export function escapeMessage(message: string): string {
  let result = '';
  let cursor = 0;
  for (const match of message.matchAll(/`([^`]+)`/g)) {
    result += escapeMarkdownText(message.slice(cursor, match.index)) + codeSpan(match[1]!);
    cursor = match.index + match[0].length;
  }
  return result + escapeMarkdownText(message.slice(cursor));
}

/**
 * The first sentences of a documentation section, up to `count`: where the rule says why the
 * hazard matters. Sentence ends inside code spans and after abbreviations do not count.
 */
export function leadingSentences(markdown: string, count: number): string {
  const paragraph = markdown.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ');
  let inCode = false;
  let sentences = 0;
  for (let index = 0; index < paragraph.length; index++) {
    const char = paragraph[index]!;
    if (char === '`') inCode = !inCode;
    if (inCode || !'.!?'.includes(char) || paragraph[index + 1] !== ' ') continue;
    if (/\b(e\.g|i\.e|etc|vs)$/i.test(paragraph.slice(0, index))) continue;
    if (++sentences === count) return paragraph.slice(0, index + 1);
  }
  return paragraph;
}

export function explainCommandUri(reference: HazardReference): string {
  return `command:${EXPLAIN_COMMAND}?${encodeURIComponent(JSON.stringify([reference]))}`;
}

/**
 * One finding's hover section. Without a reference there is no explainer link: a host that cannot
 * run Interleave's command (tsserver's hover, rendered by the TypeScript extension) links the docs only.
 */
export function hoverMarkdown(hazard: Hazard, meta: RuleMeta, reference?: HazardReference): string {
  const parts = [
    `**${hazard.code}** ${hazard.name} · ${hazard.severity}`,
    escapeMessage(hazard.message),
    leadingSentences(meta.docs.whyIsThisBad, 3),
  ];
  if (hazard.fix) parts.push(`**Fix** (${hazard.fix.applicability}): ${escapeMessage(hazard.fix.message)}`);
  const documentation = `[${hazard.code} documentation](${ruleUrl(meta)})`;
  parts.push(reference ? `[Show the interleaving](${explainCommandUri(reference)}) · ${documentation}` : documentation);
  return parts.join('\n\n');
}

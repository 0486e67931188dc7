/**
 * The hover on a flagged range. The editor already shows the diagnostic's message right above it,
 * so the hover adds only what the message lacks: the interleaving step by step in the user's names
 * and lines, why it matters (the finding's explanation, else the rule's), the fix, and links to the
 * explainer and the rule's page. Markdown built from text the user wrote is escaped, so code can
 * only ever render as code.
 */
import type { Hazard, HazardStory, StoryStep } from '../core/hazard';
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

/** A finding's explanation, made from the user's code like its message: escaped paragraph by paragraph, so it holds no link or markup. */
function explanationMarkdown(explanation: string): string {
  return explanation
    .trim()
    .split(/\n\s*\n/)
    .map(escapeMessage)
    .join('\n\n');
}

export function explainCommandUri(reference: HazardReference): string {
  return `command:${EXPLAIN_COMMAND}?${encodeURIComponent(JSON.stringify([reference]))}`;
}

/** A step's code beyond this many characters is cut: the hover is read at a glance. */
const STEP_CODE_LENGTH = 60;

/** `` `code` `` at line N, as a step of the interleaving names it. */
function at(step: StoryStep): string {
  const code = step.code.length > STEP_CODE_LENGTH ? `${step.code.slice(0, STEP_CODE_LENGTH - 1)}…` : step.code;
  return `${codeSpan(code)} (line ${step.range.start.line + 1})`;
}

/** The interleaving the finding's story tells, as numbered steps in the user's names; empty without a story. */
export function interleavingMarkdown(story: HazardStory | undefined): string[] {
  switch (story?.kind) {
    case 'lost-update':
      return [
        `1. Request A reads ${codeSpan(story.state)}: ${at(story.read)}.`,
        `2. It waits at ${at(story.suspend)}; request B runs, reads the same value and writes its update.`,
        `3. Request A writes from the value it read before: ${at(story.write)}. B's update is lost.`,
      ];
    case 'check-then-act':
      return [
        `1. Request A checks ${codeSpan(story.state)}: ${at(story.check)}.`,
        `2. It waits at ${at(story.suspend)}; request B passes the same check and acts on it.`,
        `3. Request A acts on a check that no longer holds: ${at(story.write)}.`,
      ];
    case 'thread-race':
      return [
        `1. Two requests run this handler at once, in two threadpool threads; both read ${codeSpan(story.state)}: ${at(story.read)}.`,
        `2. Both write from what they read: ${at(story.write)}. One update is lost.`,
      ];
    case 'blocking-call':
      return [
        `1. ${at(story.call)} runs on the event loop and${story.chain.length > 0 ? `, through ${story.chain.map(at).join(' → ')},` : ''} ${story.does}.`,
        '2. Until it returns, no other request this worker serves makes progress.',
      ];
    case 'missing-cleanup':
      return [`1. Opened once: ${at(story.opened)}.`, `2. Nothing calls ${codeSpan(story.close)} on shutdown: connections and buffers are left to the process's exit.`];
    case 'per-process': {
      const workers = story.workers ? `each of the ${story.workers.description ?? `${story.workers.count} worker processes`}` : 'each worker process';
      const lines = story.mutations.map((step) => `line ${step.range.start.line + 1}`).join(', ');
      return [`1. ${codeSpan(story.state)} lives in process memory: ${at(story.definition)}.`, `2. Requests change it (${lines}), and ${workers} changes its own copy.`];
    }
    default:
      return [];
  }
}

/**
 * One finding's hover section. Without a reference there is no explainer link: a host that cannot
 * run Interleave's command (tsserver's hover, rendered by the TypeScript extension) links the docs only.
 */
export function hoverMarkdown(hazard: Hazard, meta: RuleMeta, reference?: HazardReference): string {
  const parts = [`**${hazard.code} ${hazard.name}**`];
  const steps = interleavingMarkdown(hazard.story);
  if (steps.length > 0) parts.push(steps.join('\n'));
  parts.push(hazard.explanation !== undefined ? explanationMarkdown(hazard.explanation) : leadingSentences(meta.docs.whyIsThisBad, 3));
  if (hazard.fix) parts.push(`**Fix** (${hazard.fix.applicability}): ${escapeMessage(hazard.fix.message)}`);
  const documentation = `[${hazard.code} documentation](${ruleUrl(meta)})`;
  parts.push(reference ? `[Show the interleaving](${explainCommandUri(reference)}) · ${documentation}` : documentation);
  return parts.join('\n\n');
}

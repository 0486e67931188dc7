/**
 * The small part of Markdown the rule docs and messages use — paragraphs, lists, fenced code,
 * `code`, **strong**, *emphasis* and links — parsed into data the webview renders as text nodes.
 * No HTML is ever produced, so nothing in a doc or a message can become markup.
 */

export type Inline =
  | { kind: 'text' | 'code' | 'strong' | 'emphasis'; text: string }
  | { kind: 'link'; text: string; url: string };

export type Block = { kind: 'paragraph'; inlines: Inline[] } | { kind: 'list'; items: Inline[][] } | { kind: 'code'; text: string };

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function parseInline(text: string): Inline[] {
  const inlines: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) inlines.push({ kind: 'text', text: text.slice(last, match.index) });
    const [, code, strong, emphasis, linkText, url] = match;
    if (code !== undefined) inlines.push({ kind: 'code', text: code });
    else if (strong !== undefined) inlines.push({ kind: 'strong', text: strong });
    else if (emphasis !== undefined) inlines.push({ kind: 'emphasis', text: emphasis });
    else if (linkText !== undefined && url !== undefined) inlines.push({ kind: 'link', text: linkText, url });
    last = match.index + match[0].length;
  }
  if (last < text.length) inlines.push({ kind: 'text', text: text.slice(last) });
  return inlines;
}

/**
 * A finding's own text — its message, fix, story title and captions — which quotes the user's code
 * in backticks: code spans and plain text, nothing else. Code from a repository can hold a
 * backtick that closes a span early, and whatever follows it must stay text: no link, no emphasis.
 */
export function parseFindingText(text: string): Inline[] {
  const inlines: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(/`([^`]+)`/g)) {
    if (match.index > last) inlines.push({ kind: 'text', text: text.slice(last, match.index) });
    inlines.push({ kind: 'code', text: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) inlines.push({ kind: 'text', text: text.slice(last) });
  return inlines;
}

const LIST_ITEM = /^\s*[-*]\s+/;

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let paragraph: string[] = [];
  let items: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', inlines: parseInline(paragraph.join(' ')) });
    if (items.length > 0) blocks.push({ kind: 'list', items: items.map(parseInline) });
    paragraph = [];
    items = [];
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.trimStart().startsWith('```')) {
      flush();
      const code: string[] = [];
      while (++index < lines.length && !lines[index].trimStart().startsWith('```')) code.push(lines[index]);
      blocks.push({ kind: 'code', text: code.join('\n') });
    } else if (line.trim() === '') {
      flush();
    } else if (LIST_ITEM.test(line)) {
      if (paragraph.length > 0) flush();
      items.push(line.replace(LIST_ITEM, ''));
    } else if (items.length > 0) {
      // A wrapped list item continues on an indented line.
      items[items.length - 1] += ` ${line.trim()}`;
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}

/**
 * The explainer's answer to "Where does this run?": the seeds' picture with the places the code
 * runs filled in, what sharing memory there means, and each context's chain from its entry point,
 * every link showing its place in the editor.
 */
import type { ChainLink, CodeContexts, RunContext, TextRange } from '../server/protocol';
import { buildContextScene } from './context-scene';
import { html, inlineNodes, shapeElement, svg } from './dom';
import { parseFindingText } from './markdown';
import type { ViewMessage } from './messages';

export function contextsView(code: CodeContexts, post: (message: ViewMessage) => void): HTMLElement[] {
  const open = (uri: string, range: TextRange) => post({ type: 'open', uri, line: range.start.line });
  return [
    html(
      'header',
      {},
      html('h1', {}, ...inlineNodes(parseFindingText(`Where ${code.subject} runs`))),
      html('p', { class: 'message' }, ...code.lines.flatMap((line, index) => [...(index > 0 ? [html('br')] : []), ...inlineNodes(parseFindingText(line))])),
    ),
    pictureSection(code),
    chainsSection(code, open),
  ];
}

function pictureSection(code: CodeContexts): HTMLElement {
  const scene = buildContextScene(code);
  const drawing = svg('svg', { class: 'story-drawing', viewBox: `0 0 ${scene.width} ${scene.height}`, role: 'img', 'aria-labelledby': 'picture-title' });
  for (const shape of scene.shapes) drawing.append(shapeElement(shape));
  return html(
    'section',
    { class: 'story', 'aria-labelledby': 'picture-title' },
    html('h2', { id: 'picture-title' }, 'Tasks, threads and worker processes'),
    drawing,
    html('p', { class: 'caption' }, ...inlineNodes(parseFindingText(scene.caption))),
    html('ul', { class: 'notes' }, ...scene.notes.map((note) => html('li', { class: note.applies ? 'applies' : 'other' }, ...inlineNodes(parseFindingText(note.text))))),
  );
}

function chainsSection(code: CodeContexts, open: (uri: string, range: TextRange) => void): HTMLElement {
  const body =
    code.contexts.length === 0
      ? [
          html(
            'p',
            {},
            'No entry point Interleave knows reaches this code: no route, dependency, lifespan, hook or command calls it, or a call on the way could not be followed (a dynamic import, a callback registered at run time).',
          ),
        ]
      : code.contexts.map((context) => chainView(context, open));
  return html('section', { class: 'chains', 'aria-labelledby': 'chains-title' }, html('h2', { id: 'chains-title' }, 'How it gets there'), ...body);
}

/** One context: its line, then the entry point and each call, each a link to its place. */
function chainView(context: RunContext, open: (uri: string, range: TextRange) => void): HTMLElement {
  const step = (link: ChainLink, index: number): HTMLElement => {
    const go = html('button', { type: 'button', class: 'link' }, ...inlineNodes(parseFindingText(link.caller ? `\`${link.label}\`` : link.label)));
    go.addEventListener('click', () => open(link.uri, link.range));
    const where = `${decodeURIComponent(link.uri.slice(link.uri.lastIndexOf('/') + 1))}:${link.range.start.line + 1}`;
    const role = index === 0 ? 'entry point' : `called in \`${link.caller ?? ''}\``;
    return html('li', {}, go, ' ', html('span', { class: 'place' }, ...inlineNodes(parseFindingText(`${role} · ${where}`))));
  };
  return html('div', { class: 'context' }, html('h3', {}, ...inlineNodes(parseFindingText(context.line))), html('ol', { class: 'chain' }, ...context.chain.map(step)));
}

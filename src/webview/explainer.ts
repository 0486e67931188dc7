/**
 * The explainer webview: draws the finding the host posts — the story as SVG with step buttons,
 * the user's code beside the fixed code, and the rule's docs — or where a piece of code runs.
 */
import type { RuleExample } from '../core/rule';
import type { ExplainResult, HazardReference } from '../server/protocol';
import { compareExcerpts } from './code-comparison';
import { contextsView } from './contexts-view';
import { blockNodes, html, inlineNodes, shapeElement, svg } from './dom';
import { parseFindingText, parseMarkdown } from './markdown';
import type { ExplainMessage, HostMessage, ViewMessage } from './messages';
import { buildStoryScene, type SceneShape, type StoryScene } from './story-scene';

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('explainer');

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  if (!root) return;
  if (event.data.type === 'explain') render(root, event.data);
  else if (event.data.type === 'contexts') root.replaceChildren(...contextsView(event.data.contexts, (message) => vscode.postMessage(message)));
});
vscode.postMessage({ type: 'ready' });

function render(container: HTMLElement, { reference, result }: ExplainMessage): void {
  container.replaceChildren(
    header(result),
    storySection(buildStoryScene(result, reference)),
    codeSection(result, reference),
    docsSection(result),
  );
}

function header(result: ExplainResult): HTMLElement {
  return html(
    'header',
    {},
    html('h1', {}, `${result.code} `, html('span', { class: 'rule-name' }, result.name)),
    html(
      'p',
      { class: 'badges' },
      html('span', { class: `badge severity-${result.severity}` }, result.severity),
      html('span', { class: 'badge' }, result.family),
    ),
    html('p', { class: 'message' }, ...inlineNodes(parseFindingText(result.message))),
    // The explanation is the finding's own text too: paragraphs and lists, but only code spans and text within them.
    ...(result.explanation !== undefined ? [html('div', { class: 'explanation' }, ...blockNodes(parseMarkdown(result.explanation, parseFindingText)))] : []),
  );
}

/** The drawing, its captions, and the buttons that step through them. */
function storySection(scene: StoryScene): HTMLElement {
  const drawing = svg('svg', {
    class: 'story-drawing',
    viewBox: `0 0 ${scene.width} ${scene.height}`,
    role: 'img',
    'aria-labelledby': 'story-title',
    'aria-describedby': 'story-caption',
  });
  const marker = svg('marker', { id: 'arrowhead', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  const defs = svg('defs');
  defs.append(marker);
  drawing.append(defs);
  const drawn: [SceneShape, SVGElement][] = scene.shapes.map((shape) => [shape, shapeElement(shape)]);
  for (const [, element] of drawn) drawing.append(element);

  const caption = html('p', { id: 'story-caption', class: 'caption', 'aria-live': 'polite' });
  const progress = html('span', { class: 'progress' });
  const shared = html('p', { class: 'shared' });
  const back = html('button', { type: 'button', 'aria-label': 'Previous step' }, '◀ Back');
  const next = html('button', { type: 'button', class: 'primary', 'aria-label': 'Next step' }, 'Next ▶');
  const restart = html('button', { type: 'button', 'aria-label': 'Back to the first step' }, 'Restart');
  const reveal = html('button', { type: 'button', class: 'link' });
  let frame = 0;
  let revealLine: number | undefined;

  const show = (index: number): void => {
    frame = Math.max(0, Math.min(index, scene.frames.length - 1));
    const current = scene.frames[frame];
    for (const [shape, element] of drawn) {
      element.classList.toggle('pending', shape.from > frame || (shape.until !== undefined && frame >= shape.until));
      element.classList.toggle('current', frame > 0 && shape.from === frame);
    }
    caption.replaceChildren(...inlineNodes(parseFindingText(current.caption)));
    progress.textContent = `Step ${frame + 1} of ${scene.frames.length}`;
    shared.textContent = current.shared === undefined ? '' : `Shared value: ${current.shared}`;
    revealLine = current.line;
    reveal.hidden = revealLine === undefined;
    reveal.textContent = revealLine === undefined ? '' : `Show line ${revealLine + 1} in the editor`;
    back.disabled = frame === 0;
    restart.disabled = frame === 0;
    next.disabled = frame === scene.frames.length - 1;
  };
  back.addEventListener('click', () => show(frame - 1));
  next.addEventListener('click', () => show(frame + 1));
  restart.addEventListener('click', () => show(0));
  reveal.addEventListener('click', () => {
    if (revealLine !== undefined) vscode.postMessage({ type: 'reveal', line: revealLine });
  });

  const section = html(
    'section',
    { class: 'story', 'aria-labelledby': 'story-title' },
    html('h2', { id: 'story-title' }, ...inlineNodes(parseFindingText(scene.title))),
    drawing,
    html('div', { class: 'controls', role: 'group', 'aria-label': 'Step through the story' }, restart, back, next, progress),
    caption,
    shared,
    reveal,
  );
  // Arrow keys step too, wherever focus is in the section.
  section.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowRight') show(frame + 1);
    else if (event.key === 'ArrowLeft') show(frame - 1);
  });
  show(0);
  return section;
}

function codeSection(result: ExplainResult, reference: HazardReference): HTMLElement {
  const { excerpt, fix } = result;
  const hasFix = excerpt.after !== undefined;
  const flagged = (line: number): boolean => line - 1 >= reference.range.start.line && line - 1 <= reference.range.end.line;
  const cells = (line: { number: number; text: string; changed: boolean } | undefined, side: 'before' | 'after'): HTMLElement[] => {
    if (!line) return [html('td', { class: 'number' }), html('td', { class: `line ${side} empty` })];
    const classes = ['line', side, line.changed ? 'changed' : '', side === 'before' && flagged(line.number) ? 'flagged' : ''];
    return [html('td', { class: 'number' }, String(line.number)), html('td', { class: classes.filter(Boolean).join(' ') }, html('code', {}, line.text))];
  };
  const rows = compareExcerpts(excerpt.before, excerpt.after, excerpt.startLine).map((row) =>
    html('tr', {}, ...cells(row.before, 'before'), ...(hasFix ? cells(row.after, 'after') : [])),
  );
  return html(
    'section',
    { class: 'code', 'aria-labelledby': 'code-title' },
    html('h2', { id: 'code-title' }, hasFix ? 'Your code and the fix' : 'Your code'),
    fix
      ? html('p', {}, `Quick fix (${fix.applicability}): `, ...inlineNodes(parseFindingText(fix.message)))
      : html('p', {}, 'No automatic fix: the examples below show what to write instead.'),
    html(
      'table',
      { class: 'comparison' },
      html('colgroup', {}, ...(hasFix ? [0, 1] : [0]).flatMap(() => [html('col', { class: 'number' }), html('col')])),
      html(
        'thead',
        {},
        html('tr', {}, html('th', { colspan: '2', scope: 'col' }, 'Your code'), hasFix ? html('th', { colspan: '2', scope: 'col' }, 'With the fix') : undefined),
      ),
      html('tbody', {}, ...rows),
    ),
  );
}

function docsSection(result: ExplainResult): HTMLElement {
  const { docs } = result;
  const openDocs = html('button', { type: 'button' }, 'Open the rule documentation');
  openDocs.addEventListener('click', () => vscode.postMessage({ type: 'openDocumentation' }));
  const part = (title: string, markdown: string): Node[] =>
    markdown.trim() === '' ? [] : [html('h3', {}, title), ...blockNodes(parseMarkdown(markdown))];
  return html(
    'section',
    { class: 'docs', 'aria-labelledby': 'docs-title' },
    html('h2', { id: 'docs-title' }, `About ${result.code} ${result.name}`),
    ...blockNodes(parseMarkdown(docs.summary)),
    ...part('What it does', docs.whatItDoes),
    ...part('Why is this bad?', docs.whyIsThisBad),
    ...(docs.examples.length > 0 ? [html('h3', {}, 'Example'), examples(docs.examples)] : []),
    ...part('Fix safety', docs.fixSafety),
    ...part('When not to use it', docs.whenNotToUse),
    openDocs,
  );
}

/** Bad and good side by side; with several frameworks, one tab each (arrow keys move between them). */
function examples(list: RuleExample[]): HTMLElement {
  const panels = list.map((example, index) =>
    html(
      'div',
      list.length > 1
        ? { class: 'example', role: 'tabpanel', id: `example-${index}`, 'aria-labelledby': `example-tab-${index}` }
        : { class: 'example', role: 'group', 'aria-label': 'Example' },
      ...(example.servedWith
        ? [html('figure', { class: 'served' }, html('figcaption', {}, `Served with ${example.servedWith.file}`), html('pre', {}, html('code', {}, example.servedWith.text.trim())))]
        : []),
      html('figure', { class: 'bad' }, html('figcaption', {}, 'Flagged'), html('pre', {}, html('code', {}, example.bad.trim()))),
      html('figure', { class: 'good' }, html('figcaption', {}, 'Instead'), html('pre', {}, html('code', {}, example.good.trim()))),
    ),
  );
  if (list.length === 1) return panels[0];
  const tabs = list.map((example, index) =>
    html(
      'button',
      { type: 'button', role: 'tab', id: `example-tab-${index}`, 'aria-controls': `example-${index}` },
      example.framework ?? example.language,
    ),
  );
  const select = (index: number): void => {
    tabs.forEach((tab, tabIndex) => {
      tab.setAttribute('aria-selected', String(tabIndex === index));
      tab.tabIndex = tabIndex === index ? 0 : -1;
      panels[tabIndex].hidden = tabIndex !== index;
    });
  };
  const tablist = html('div', { role: 'tablist', 'aria-label': 'Examples by framework' }, ...tabs);
  tabs.forEach((tab, index) => tab.addEventListener('click', () => select(index)));
  tablist.addEventListener('keydown', (event) => {
    const current = tabs.findIndex((tab) => tab.getAttribute('aria-selected') === 'true');
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const target = (current + step + tabs.length) % tabs.length;
    select(target);
    tabs[target].focus();
  });
  select(0);
  return html('div', { class: 'examples' }, tablist, ...panels);
}

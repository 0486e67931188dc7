/**
 * Element builders for the explainer. Every string from the finding goes into a text node:
 * nothing here assigns `innerHTML`, so source code can never become markup.
 */
import type { Block, Inline } from './markdown';
import type { SceneShape } from './story-scene';

type Child = Node | string | undefined;

export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child !== undefined) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NAMESPACE, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

export function shapeElement(shape: SceneShape): SVGElement {
  const className = 'dashed' in shape && shape.dashed ? `shape ${shape.role} dashed` : `shape ${shape.role}`;
  switch (shape.kind) {
    case 'rect':
      return svg('rect', {
        class: className,
        x: shape.x,
        y: shape.y,
        width: shape.width,
        height: shape.height,
        rx: 4,
      });
    case 'line':
      return svg('line', {
        class: className,
        x1: shape.x1,
        y1: shape.y1,
        x2: shape.x2,
        y2: shape.y2,
        ...(shape.arrow ? { 'marker-end': 'url(#arrowhead)' } : {}),
      });
    case 'text': {
      const text = svg('text', { class: className, x: shape.x, y: shape.y, 'text-anchor': shape.anchor });
      text.textContent = shape.text;
      if (shape.full !== undefined) {
        const title = svg('title');
        title.textContent = shape.full;
        text.append(title);
      }
      return text;
    }
  }
}

export function inlineNodes(inlines: Inline[]): Node[] {
  return inlines.map((inline) => {
    switch (inline.kind) {
      case 'text':
        return document.createTextNode(inline.text);
      case 'code':
        return html('code', {}, inline.text);
      case 'strong':
        return html('strong', {}, inline.text);
      case 'emphasis':
        return html('em', {}, inline.text);
      case 'link':
        // VS Code opens web links from a webview externally; anything else stays plain text.
        return /^https?:\/\//.test(inline.url) ? html('a', { href: inline.url }, inline.text) : document.createTextNode(inline.text);
    }
  });
}

export function blockNodes(blocks: Block[]): Node[] {
  return blocks.map((block) => {
    switch (block.kind) {
      case 'paragraph':
        return html('p', {}, ...inlineNodes(block.inlines));
      case 'list':
        return html('ul', {}, ...block.items.map((item) => html('li', {}, ...inlineNodes(item))));
      case 'code':
        return html('pre', {}, html('code', {}, block.text));
    }
  });
}

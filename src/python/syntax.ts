import type { Range } from '../core/facts';
import type { SyntaxNode } from './syntax-tree';

export type Node = SyntaxNode;

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function field(node: Node, name: string): Node | null {
  return node.childForFieldName(name);
}

export function namedChildren(node: Node): readonly Node[] {
  return node.namedChildren;
}

/** Drops the parentheses around an expression. */
export function unparenthesize(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildCount === 1) {
    current = current.namedChild(0)!;
  }
  return current;
}

/** `a.b.c` as ['a', 'b', 'c'], or undefined when the chain holds anything but names. */
export function dottedParts(node: Node): string[] | undefined {
  const expr = unparenthesize(node);
  if (expr.type === 'identifier') return [expr.text];
  if (expr.type === 'attribute') {
    const object = field(expr, 'object');
    const attribute = field(expr, 'attribute');
    if (!object || !attribute) return undefined;
    const head = dottedParts(object);
    return head ? [...head, attribute.text] : undefined;
  }
  return undefined;
}

/** The expression text on one line, shortened for messages. */
export function shortText(node: Node, limit = 60): string {
  const oneLine = node.text.replace(/\s+/g, ' ').trim();
  return oneLine.length > limit ? `${oneLine.slice(0, limit - 1)}…` : oneLine;
}

/** The function a decorated definition, a plain definition, or a class wraps. */
export function definitionOf(node: Node): Node {
  return node.type === 'decorated_definition' ? (field(node, 'definition') ?? node) : node;
}

export function decoratorsOf(node: Node): Node[] {
  const parent = node.parent;
  if (!parent || parent.type !== 'decorated_definition') return [];
  return namedChildren(parent).filter((child) => child.type === 'decorator');
}

export function isAsyncDef(node: Node): boolean {
  return node.firstChild?.type === 'async';
}

/** The value of a plain string literal (no interpolation), or undefined. */
export function stringValue(node: Node): string | undefined {
  if (node.type !== 'string' || node.namedChildren.some((child) => child.type === 'interpolation')) return undefined;
  const match = /^[rRbBuU]*("""|'''|"|')([\s\S]*)\1$/.exec(node.text);
  return match ? match[2] : undefined;
}

/** Positional and keyword arguments of a call. */
export function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  const list = field(call, 'arguments');
  if (!list || list.type !== 'argument_list') return { positional, keywords };
  for (const argument of namedChildren(list)) {
    if (argument.type === 'keyword_argument') {
      const name = field(argument, 'name');
      const value = field(argument, 'value');
      if (name && value) keywords.set(name.text, value);
    } else if (argument.type !== 'comment') {
      positional.push(argument);
    }
  }
  return { positional, keywords };
}

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Node as TreeSitterNode } from 'web-tree-sitter';
import { loadPythonParser, parsePython } from './parser';
import { copyTree, type SyntaxNode } from './syntax-tree';

before(loadPythonParser);

/** A node as a comparable value: what the frontend reads of it, and its children. */
interface NodeShape {
  type: string;
  isNamed: boolean;
  isMissing: boolean;
  hasError: boolean;
  startIndex: number;
  endIndex: number;
  field: string | null;
  children: NodeShape[];
}

function shapeOfCopy(node: SyntaxNode, field: string | null = null): NodeShape {
  const { type, isNamed, isMissing, hasError, startIndex, endIndex } = node;
  return { type, isNamed, isMissing, hasError, startIndex, endIndex, field, children: node.children.map((child, index) => shapeOfCopy(child, node.fields[index] ?? null)) };
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '=']);

/**
 * The same tree read through web-tree-sitter's public Node API, leaving out what the copy leaves
 * out (punctuation, the parts of plain string literals): the reference the copy's direct wasm
 * walk must agree with.
 */
function shapeOfTreeSitter(node: TreeSitterNode, source: string, field: string | null = null): NodeShape {
  const plainString = node.type === 'string' && !/^[rRbBuU]*[fF]/.test(source.slice(node.startIndex, node.endIndex));
  const children = plainString
    ? []
    : node.children.flatMap((child, index) =>
        child && (child.isNamed || child.isMissing || !PUNCTUATION.has(child.type)) ? [shapeOfTreeSitter(child, source, node.fieldNameForChild(index))] : [],
      );
  return {
    type: node.type,
    isNamed: node.isNamed,
    isMissing: node.isMissing,
    hasError: node.hasError,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    field,
    children,
  };
}

function fixtureSources(): [string, string][] {
  const root = join(__dirname, '..', '..', 'test', 'fixtures', 'python');
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((path) => path.endsWith('.py'))
    .sort()
    .map((path) => [path, readFileSync(join(root, path), 'utf8')]);
}

describe('copyTree', () => {
  const cases: [string, string][] = [
    ['syntax errors and missing nodes', 'def f(:\n  x = = 1\nclass (:\n  async def g(\n    await\n))) ]] }}\n@@@\nif x\n    pass\n'],
    ['text beyond Latin-1 (UTF-16 offsets)', 'caf\u00e9 = "\u{1F600}"\nasync def r\u00e9sum\u00e9():\n    v = f"{caf\u00e9} \u{1F600}"\n    await x(v)\n'],
    ['f-strings and byte strings', 'a = rb"x"\nb = F"{a!r:>{w}}"\nc = """doc\n"""\n'],
    ...fixtureSources(),
  ];
  for (const [label, source] of cases) {
    it(`reads the same tree as web-tree-sitter's API: ${label}`, () => {
      const tree = parsePython(source);
      try {
        assert.deepEqual(shapeOfCopy(copyTree(tree, source)), shapeOfTreeSitter(tree.rootNode, source));
      } finally {
        tree.delete();
      }
    });
  }

  it('walks trees one after another, and between uses of the public API', () => {
    const first = parsePython('x = 1\n');
    const second = parsePython('async def f():\n    await g()\n');
    try {
      const copied = copyTree(first, 'x = 1\n');
      assert.equal(second.rootNode.namedChildren[0]?.type, 'function_definition');
      assert.equal(copyTree(second, 'async def f():\n    await g()\n').namedChildren[0]?.type, 'function_definition');
      assert.equal(copied.namedChildren[0]?.type, 'expression_statement');
    } finally {
      first.delete();
      second.delete();
    }
  });
});

describe('copyTree from the copy of an earlier version', () => {
  /** Ids, positions and the by-type index too: what a fresh copy and one that takes over earlier statements must agree on. */
  function fullShape(root: SyntaxNode): unknown {
    const nodes: unknown[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      nodes.push([node.id, node.type, node.startIndex, node.endIndex, node.startPosition, node.endPosition, node.text, node.hasError, node.isMissing, node.parent?.id, node.fields]);
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
    }
    return { nodes, byType: [...(root.byType ?? [])].map(([type, list]) => [type, list.map((node) => node.id)]).sort() };
  }

  const ORIGINAL = 'import asyncio\n\nCOUNTS = {}\n\n\nasync def a():\n    x = COUNTS["k"]\n    await asyncio.sleep(0)\n    COUNTS["k"] = x + 1\n\n\ndef b():\n    return "b"\n\n\nclass C:\n    n = 0\n';
  const versions: [string, (text: string) => string][] = [
    ['a character typed inside the last function', (text) => text.replace('return "b"', 'return "bx"')],
    ['a character typed inside the first function', (text) => text.replace('x + 1', 'x + 12')],
    ['a line added at the top', (text) => `# header\n${text}`],
    ['a statement appended at the end', (text) => `${text}D = 1\n`],
    ['the end removed', (text) => text.slice(0, text.indexOf('class C'))],
    ['a syntax error in the middle', (text) => text.replace('def b():', 'def b(:')],
    ['the error fixed', (text) => text.replace('def b(:', 'def b():')],
    ['the same text again', (text) => text],
  ];

  it('copies each new version exactly as a fresh copy does', () => {
    let text = ORIGINAL;
    let tree = parsePython(text);
    let copy = copyTree(tree, text);
    try {
      for (const [label, edit] of versions) {
        text = edit(text);
        tree.delete();
        tree = parsePython(text);
        const fresh = copyTree(tree, text);
        copy = copyTree(tree, text, copy);
        assert.deepEqual(fullShape(copy), fullShape(fresh), label);
      }
    } finally {
      tree.delete();
    }
  });

  it('takes over the statements before the first change and copies the rest', () => {
    const tree = parsePython(ORIGINAL);
    const edited = versions[0]![1](ORIGINAL);
    const next = parsePython(edited);
    try {
      const earlier = copyTree(tree, ORIGINAL);
      const copy = copyTree(next, edited, earlier);
      const taken = copy.children.map((statement) => earlier.children.includes(statement));
      assert.deepEqual(taken, [true, true, true, false, false]);
    } finally {
      tree.delete();
      next.delete();
    }
  });
});

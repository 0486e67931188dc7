// Prints the tree-sitter syntax tree of a Python file: a development aid for the frontend.
// Usage: node scripts/dump-tree.mjs file.py
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
await Parser.init();
const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
const parser = new Parser();
parser.setLanguage(language);
const tree = parser.parse(readFileSync(process.argv[2], 'utf8'));
const show = (node, depth, field) => {
  if (!node.isNamed && node.childCount === 0 && !/^[a-z]/.test(node.type)) return;
  const leaf = node.childCount === 0 ? ` ${JSON.stringify(node.text)}` : '';
  console.log(`${'  '.repeat(depth)}${field ? `${field}: ` : ''}${node.type}${leaf}`);
  for (let i = 0; i < node.childCount; i++) show(node.child(i), depth + 1, node.fieldNameForChild(i));
};
show(tree.rootNode, 0);

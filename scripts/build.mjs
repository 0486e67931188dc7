#!/usr/bin/env node
// Bundles the CLI, its analysis worker, the VS Code extension and its explainer webview into dist/
// with esbuild, next to the two wasm files the Python parser loads at run time
// (src/python/parser.ts looks beside the bundle first).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const require = createRequire(join(root, 'package.json'));

const common = {
  absWorkingDir: root,
  // web-tree-sitter's CommonJS build still reads `import.meta.url` (to find its wasm and to create a
  // `require`); in a CommonJS bundle that must be the bundle file's own URL.
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: ['scripts/import-meta-url.mjs'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
};

mkdirSync(dist, { recursive: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: join(dist, 'cli.js'),
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: ['src/workspace/analysis-worker.ts'],
    outfile: join(dist, 'worker.js'),
  }),
  // The VS Code extension: the editor provides `vscode` at run time.
  build({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: join(dist, 'extension.js'),
    external: ['vscode'],
  }),
  // The explainer panel's script, loaded by the webview (a browser frame).
  build({
    ...common,
    entryPoints: ['src/webview/explainer.ts'],
    outfile: join(dist, 'explainer.js'),
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    define: {},
    inject: [],
  }),
]);
chmodSync(join(dist, 'cli.js'), 0o755);

for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  copyFileSync(require.resolve(wasm), join(dist, basename(wasm)));
}

#!/usr/bin/env node
// Bundles the CLI and its analysis worker, the language server and its indexing worker, the tsserver
// plugin, the VS Code extension and its explainer webview into dist/ with esbuild, next to the two wasm files the
// Python parser loads at run time (src/python/parser.ts looks beside the bundle first).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

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
  write: false,
};

/**
 * Writes a file beside its final name and renames it into place, so a test running a bundle while
 * another test rebuilds never reads half a file.
 */
function replaceFile(path, write) {
  const temporary = `${path}.${process.pid}.tmp`;
  write(temporary);
  renameSync(temporary, path);
}

mkdirSync(dist, { recursive: true });
const results = await Promise.all([
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
  // The language server: the VS Code client starts it as a Node process of its own.
  build({
    ...common,
    entryPoints: ['src/server/main.ts'],
    outfile: join(dist, 'server.js'),
  }),
  // The language server's analysis thread.
  build({
    ...common,
    entryPoints: ['src/server/document-worker.ts'],
    outfile: join(dist, 'document-worker.js'),
  }),
  // The language server's indexing thread.
  build({
    ...common,
    entryPoints: ['src/server/index-worker.ts'],
    outfile: join(dist, 'index-worker.js'),
  }),
  // The tsserver plugin: tsserver hands it the `typescript` module it runs, which the plugin uses
  // (syntax kinds differ between compiler versions), so the compiler is not bundled.
  build({
    ...common,
    entryPoints: ['src/tsplugin/index.ts'],
    outfile: join(dist, 'tsplugin.js'),
    external: ['typescript'],
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
for (const { outputFiles = [] } of results) {
  for (const file of outputFiles) {
    const mode = file.path === join(dist, 'cli.js') ? 0o755 : 0o644;
    replaceFile(file.path, (temporary) => writeFileSync(temporary, file.contents, { mode }));
  }
}

for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  replaceFile(join(dist, basename(wasm)), (temporary) => copyFileSync(require.resolve(wasm), temporary));
}

// The TypeScript compiler, which the TypeScript frontend loads from dist/typescript/ on first use
// (src/typescript/compiler.ts) rather than from every bundle; its lib.*.d.ts files sit beside it
// because a Program looks for them there.
const typescriptLib = dirname(require.resolve('typescript'));
mkdirSync(join(dist, 'typescript'), { recursive: true });
for (const file of readdirSync(typescriptLib).filter((name) => name === 'typescript.js' || /^lib\..*\.d\.ts$/.test(name))) {
  replaceFile(join(dist, 'typescript', file), (temporary) => copyFileSync(join(typescriptLib, file), temporary));
}

// tsserver loads a plugin by package name from `<probe location>/node_modules/<name>`, and accepts
// only a bare package name: this stub package (name as TSSERVER_PLUGIN_NAME in
// src/tsplugin/protocol.ts) makes dist/tsserver-plugin a probe location for dist/tsplugin.js, for
// the tests and for editors other than VS Code. scripts/package-vsix.mjs writes the .vsix's own.
const TSSERVER_PLUGIN_NAME = 'interleave-tsserver-plugin';
const stub = join(dist, 'tsserver-plugin', 'node_modules', TSSERVER_PLUGIN_NAME);
mkdirSync(stub, { recursive: true });
replaceFile(join(stub, 'package.json'), (temporary) =>
  writeFileSync(temporary, `${JSON.stringify({ name: TSSERVER_PLUGIN_NAME, private: true, main: 'index.js' }, null, 2)}\n`),
);
replaceFile(join(stub, 'index.js'), (temporary) => writeFileSync(temporary, "module.exports = require('../../../tsplugin.js').default;\n"));

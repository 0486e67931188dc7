#!/usr/bin/env node
// Packages the VS Code extension (run `node scripts/build.mjs` first; `npm run package` does both).
// vsce refuses a .vscodeignore next to the `files` list the root package.json keeps for the CLI,
// so the extension's files are copied into a staging folder, with a manifest stripped of what
// only the repository needs, and packaged from there with .vscodeignore applied. The bundles
// carry every dependency: the only node_modules that goes in is the tsserver plugin's stub package.
//   node scripts/package-vsix.mjs [--out path/to/interleave.vsix]
import { createVSIX } from '@vscode/vsce';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const MAX_BYTES = 5 * 1024 * 1024;
const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, `${manifest.name}-${manifest.version}.vsix`));

const stage = mkdtempSync(join(tmpdir(), 'interleave-vsix-'));
try {
  for (const key of ['files', 'scripts', 'devDependencies', 'dependencies', 'allowScripts', 'private', 'bin']) delete manifest[key];
  const plugins = manifest.contributes.typescriptServerPlugins.map(({ name }) => name);
  // The stub packages below are the manifest's only dependencies: vsce packs node_modules only for
  // what `npm list` reports.
  manifest.dependencies = Object.fromEntries(plugins.map((name) => [name, manifest.version]));
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(root, 'media', 'README.marketplace.md'), join(stage, 'README.md'));
  for (const file of ['LICENSE', 'CHANGELOG.md', '.vscodeignore']) copyFileSync(join(root, file), join(stage, file));
  for (const folder of ['dist', 'media', 'syntaxes', 'examples/fastapi-shop']) cpSync(join(root, folder), join(stage, folder), { recursive: true });
  rmSync(join(stage, 'media', 'README.marketplace.md'));
  // VS Code's TypeScript extension hands tsserver each `contributes.typescriptServerPlugins` name
  // with the extension's folder as a probe location, and tsserver loads the plugin only as a
  // package from `<extension>/node_modules/<name>`. So this stub package, written here rather than
  // kept in the repository, is the one node_modules folder the .vsix carries: its index loads the
  // bundled plugin, dist/tsplugin.js.
  for (const name of plugins) {
    const stub = join(stage, 'node_modules', name);
    mkdirSync(stub, { recursive: true });
    writeFileSync(join(stub, 'package.json'), `${JSON.stringify({ name, version: manifest.version, private: true, main: 'index.js' }, null, 2)}\n`);
    writeFileSync(join(stub, 'index.js'), "module.exports = require('../../dist/tsplugin.js').default;\n");
  }

  await createVSIX({ cwd: stage, packagePath: out, dependencies: true });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
const { size } = statSync(out);
console.log(`${out}: ${(size / 1024 / 1024).toFixed(2)} MB`);
if (size > MAX_BYTES) {
  console.error(`the .vsix is over ${MAX_BYTES / 1024 / 1024} MB`);
  process.exit(1);
}

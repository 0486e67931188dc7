/**
 * The extension manifest (the root package.json) against the code: the settings it contributes
 * are the ones the server reads, with the defaults the protocol documents, and every file it
 * points at exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ClientSettings } from '../server/protocol';
import { TSSERVER_PLUGIN_NAME } from '../tsplugin/protocol';

interface Manifest {
  main: string;
  activationEvents: string[];
  icon: string;
  contributes: {
    configuration: { properties: Record<string, { default: unknown }> };
    commands: { command: string; category: string }[];
    menus: { commandPalette: { command: string }[] };
    grammars: { path: string }[];
    typescriptServerPlugins: { name: string; enableForWorkspaceTypeScriptVersions: boolean }[];
    walkthroughs: { steps: { media: { markdown: string } }[] }[];
  };
}

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

/** What a folder with no settings gets: everything on, as you type, workers from deployment files. */
const DEFAULTS: ClientSettings = { enable: true, select: [], ignore: [], severity: {}, run: 'onType', suppressedFindings: 'hide', workers: null, exclude: [], contextLens: 'handlers' };

describe('extension manifest', () => {
  it('contributes exactly the interleave settings of the protocol, plus trace.server', () => {
    const properties = manifest.contributes.configuration.properties;
    const contributed = Object.fromEntries(Object.entries(properties).map(([key, { default: value }]) => [key.replace(/^interleave\./, ''), value]));
    assert.deepEqual(contributed, { ...DEFAULTS, 'trace.server': 'off' });
  });

  it('puts every command in the Interleave category, and menus only name declared commands', () => {
    const declared = new Set(manifest.contributes.commands.map(({ command }) => command));
    for (const { command, category } of manifest.contributes.commands) {
      assert.match(command, /^interleave\./);
      assert.equal(category, 'Interleave', command);
    }
    for (const { command } of manifest.contributes.menus.commandPalette) assert.ok(declared.has(command), command);
  });

  it('points at files that exist', () => {
    const paths = [
      manifest.icon,
      ...manifest.contributes.grammars.map(({ path }) => path),
      ...manifest.contributes.walkthroughs.flatMap(({ steps }) => steps.map(({ media }) => media.markdown)),
    ];
    for (const path of paths) assert.ok(existsSync(join(root, path)), path);
    assert.equal(manifest.main, 'dist/extension.js');
  });

  it('contributes the tsserver plugin by the name the build gives its stub package, for workspace TypeScript versions too', () => {
    assert.deepEqual(manifest.contributes.typescriptServerPlugins, [{ name: TSSERVER_PLUGIN_NAME, enableForWorkspaceTypeScriptVersions: true }]);
    const build = readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8');
    assert.ok(build.includes(`const TSSERVER_PLUGIN_NAME = '${TSSERVER_PLUGIN_NAME}';`));
  });

  it('activates for every language it reads', () => {
    for (const language of ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact']) {
      assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
    }
  });
});

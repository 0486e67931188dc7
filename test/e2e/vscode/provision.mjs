#!/usr/bin/env node
// Installs what the real-VS-Code tests need when it is missing, so `npm ci && npm test` passes on a
// fresh machine: Debian's Chromium and the system packages code-server's install builds with (with
// apt-get, as root), then code-server itself (install.sh). Not root, or no apt-get: it installs
// nothing from the system and says, in one line, which command would. scripts/run-tests.mjs runs it
// before the VS Code suites; `node test/e2e/vscode/provision.mjs` runs it alone.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname;
export const CHROMIUM = '/usr/bin/chromium';
export const CODE_SERVER = join(here, 'node_modules', '.bin', 'code-server');

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => {
    try {
      accessSync(join(directory, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What each tool needs from the system, as a check and the Debian package that satisfies it. */
function missingPackages({ chromium, codeServer }) {
  const needs = [];
  if (chromium) needs.push([existsSync(CHROMIUM), 'chromium']);
  if (codeServer) {
    needs.push(
      [onPath('rg'), 'ripgrep'],
      [existsSync('/usr/include/gssapi/gssapi.h'), 'libkrb5-dev'],
      [onPath('pkg-config'), 'pkg-config'],
      [onPath('make') && onPath('g++'), 'build-essential'],
    );
  }
  return needs.filter(([present]) => !present).map(([, name]) => name);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status === 0) return undefined;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
  return `\`${[command, ...args].join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`})${output ? `:\n${output}` : ''}`;
}

/**
 * Makes Chromium and code-server present. Returns the problems left, each one line saying what
 * to run; empty when everything is in place. `log` hears what is being installed.
 */
export function provisionEndToEndTools(log = (line) => console.error(line)) {
  const wanted = { chromium: !existsSync(CHROMIUM), codeServer: !existsSync(CODE_SERVER) };
  if (!wanted.chromium && !wanted.codeServer) return [];
  const packages = missingPackages(wanted);
  if (packages.length > 0) {
    if (process.getuid?.() !== 0 || !onPath('apt-get')) {
      const how = onPath('apt-get') ? `sudo apt-get install -y ${packages.join(' ')}` : `install the Debian packages ${packages.join(', ')} or your system's equivalents`;
      return [`The VS Code end-to-end tests need ${packages.join(', ')}: ${how}, then run npm test again.`];
    }
    log(`Installing ${packages.join(', ')} for the VS Code end-to-end tests (apt-get)…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const failed = run('apt-get', ['update', '-qq'], { env }) ?? run('apt-get', ['install', '-y', '-qq', ...packages], { env });
    if (failed) return [`Installing ${packages.join(', ')} failed; run \`apt-get install -y ${packages.join(' ')}\` yourself. ${failed}`];
  }
  if (wanted.codeServer) {
    log('Installing code-server 4.100.3 for the VS Code end-to-end tests (test/e2e/vscode/install.sh, about a minute)…');
    const failed = run(join(here, 'install.sh'), []);
    if (failed) return [`Installing code-server failed; run test/e2e/vscode/install.sh to see why. ${failed}`];
  }
  return [];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problems = provisionEndToEndTools();
  for (const problem of problems) console.error(problem);
  process.exit(problems.length > 0 ? 1 : 0);
}

/**
 * A real VS Code for the end-to-end tests and the sandbox: code-server 4.100.3 (installed by
 * test/e2e/vscode/install.sh), started on 127.0.0.1 with throwaway home, settings and extensions
 * folders, and stopped with its whole process group (extension hosts outlive the main process).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPOSITORY = join(import.meta.dirname, '..', '..');
const CODE_SERVER = join(import.meta.dirname, 'vscode', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = '/usr/bin/chromium';

/** Fails, saying what to run, when a piece is missing (scripts/run-tests.mjs installs them first when it can). */
export function assertEndToEndTools(): void {
  const missing = [existsSync(CHROMIUM) ? undefined : `Chromium (${CHROMIUM})`, existsSync(CODE_SERVER) ? undefined : 'code-server'].filter(
    (piece) => piece !== undefined,
  );
  if (missing.length > 0) {
    throw new Error(`The VS Code end-to-end tests need ${missing.join(' and ')}: run node test/e2e/vscode/provision.mjs (npm test runs it), which installs them or says how.`);
  }
}

/** The user settings that keep the workbench quiet and the fixture unsaved. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'files.autoSave': 'off',
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 200,
};

export interface CodeServer {
  port: number;
  /** The workbench URL with `folder` open. */
  url: string;
  /** Everything code-server printed, for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

export interface CodeServerOptions {
  /** The folder to open. */
  workspace: string;
  /** A .vsix to install before the first start. */
  vsix?: string;
  port?: number;
}

export async function startCodeServer({ workspace, vsix, port }: CodeServerOptions): Promise<CodeServer> {
  assertEndToEndTools();
  const home = mkdtempSync(join(tmpdir(), 'interleave-code-server-'));
  const userData = join(home, 'user-data');
  const extensions = join(home, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  const folders = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (vsix) {
    const install = spawnSync(CODE_SERVER, [...folders, '--install-extension', vsix], { env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`code-server --install-extension failed:\n${install.stdout}${install.stderr}`);
  }
  const chosenPort = port ?? (await freePort());
  const server = spawn(
    CODE_SERVER,
    [
      '--bind-addr',
      `127.0.0.1:${chosenPort}`,
      '--auth',
      'none',
      ...folders,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    await stopGroup(server);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForHealth(chosenPort, server);
  } catch (error) {
    await stop();
    throw new Error(`code-server did not start: ${String(error)}\n${output}`, { cause: error });
  }
  return {
    port: chosenPort,
    url: `http://127.0.0.1:${chosenPort}/?folder=${encodeURIComponent(workspace)}`,
    log: () => output,
    stop,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(port: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`exited with ${server.exitCode}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('no answer on /healthz within 30 s');
}

/** Ends code-server and everything it started (extension hosts, the language server). */
async function stopGroup(server: ChildProcess): Promise<void> {
  const pid = server.pid;
  if (pid === undefined || server.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const timeout = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timeout);
  signal('SIGKILL');
}

/** A fresh copy of the example app, so nothing a test or a person does reaches the repository. */
export function copyExampleApp(into: string): string {
  const workspace = join(into, 'fastapi-shop');
  cpSync(join(REPOSITORY, 'examples', 'fastapi-shop'), workspace, { recursive: true });
  return workspace;
}

/**
 * Runs inside VS Code's extension host, through the extension-test runner (the workbench loads it
 * from the `extensionTestsPath` of its payload): assertions on what the extension registers with
 * the real `vscode` API. test/e2e/vscode-in-host.test.ts bundles and starts it; `run` resolving
 * ends the host with exit code 0, rejecting with a non-zero one.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AnalyzeWorkspaceResult } from '../../../src/server/protocol';

interface Check {
  name: string;
  body: () => Promise<void>;
}

const checks: Check[] = [];
function check(name: string, body: () => Promise<void>): void {
  checks.push({ name, body });
}

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the example app is open as the workspace folder');
  return vscode.Uri.joinPath(folder.uri, relative);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function interleaveFindings(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'interleave' && (code === undefined || codeOf(diagnostic) === code));
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  return typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

const ADMIN = 'app/routers/admin.py';

check('activates on a Python file and registers its commands', async () => {
  await vscode.window.showTextDocument(workspaceFile(ADMIN));
  const extension = vscode.extensions.getExtension('interleave-dev.interleave');
  assert.ok(extension, 'the extension is installed');
  await until('the extension to activate', () => (extension.isActive ? true : undefined));
  const commands = await vscode.commands.getCommands(true);
  for (const command of ['explain', 'analyzeWorkspace', 'showOutput', 'restartServer', 'openRuleDocumentation', 'openExample']) {
    assert.ok(commands.includes(`interleave.${command}`), `interleave.${command} is registered`);
  }
});

check('publishes the await race in admin.py as a diagnostic with its rule page', async () => {
  const uri = workspaceFile(ADMIN);
  await vscode.window.showTextDocument(uri);
  const [race] = await until('IL101 in admin.py', () => {
    const found = interleaveFindings(uri, 'IL101');
    return found.length > 0 ? found : undefined;
  });
  assert.equal(race.severity, vscode.DiagnosticSeverity.Warning);
  assert.match(race.message, /RequestCounter\.count/);
  assert.ok(typeof race.code === 'object' && race.code.target.toString().includes('IL101'), 'the code links to the rule page');
});

check('hovers the finding with its explanation and a link to the panel', async () => {
  const uri = workspaceFile(ADMIN);
  const [race] = interleaveFindings(uri, 'IL101');
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, race.range.start);
  const text = hoverText(hovers);
  assert.match(text, /IL101/);
  assert.match(text, /RequestCounter\.count/);
  assert.match(text, /command:interleave\.explain/);
});

check('offers the fix, the suppressions and Explain as code actions', async () => {
  const uri = workspaceFile(ADMIN);
  const [race] = interleaveFindings(uri, 'IL101');
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, race.range);
  const titles = actions.map((action) => action.title);
  assert.ok(titles.some((title) => title.startsWith('Interleave (IL101): ')), titles.join(' | '));
  assert.ok(titles.includes('Disable IL101 for this line'), titles.join(' | '));
  assert.ok(titles.includes('Disable IL101 for this file'), titles.join(' | '));
  const explain = actions.find((action) => action.command?.command === 'interleave.explain');
  assert.ok(explain, titles.join(' | '));
  await vscode.commands.executeCommand('interleave.explain', ...(explain.command?.arguments ?? []));
});

check('passes the interleave settings to the server: ignoring IL101 clears it', async () => {
  const uri = workspaceFile(ADMIN);
  const settings = vscode.workspace.getConfiguration('interleave', uri);
  await settings.update('ignore', ['IL101'], vscode.ConfigurationTarget.Workspace);
  try {
    await until('IL101 to disappear', () => (interleaveFindings(uri, 'IL101').length === 0 ? true : undefined));
  } finally {
    await settings.update('ignore', undefined, vscode.ConfigurationTarget.Workspace);
  }
  await until('IL101 to come back', () => (interleaveFindings(uri, 'IL101').length > 0 ? true : undefined));
});

check('analyses the workspace: files never opened get their findings', async () => {
  const payments = workspaceFile('app/services/payments.py');
  const result = await vscode.commands.executeCommand<AnalyzeWorkspaceResult | undefined>('interleave.analyzeWorkspace');
  assert.ok(result && result.files > 10 && result.hazards > 10, JSON.stringify(result));
  const published = vscode.languages
    .getDiagnostics()
    .filter(([, diagnostics]) => diagnostics.some((diagnostic) => diagnostic.source === 'interleave'))
    .map(([uri]) => uri.toString());
  await until(`IL201 in ${payments.toString()}, among ${published.join(', ')}`, () =>
    interleaveFindings(payments, 'IL201').length > 0 ? true : undefined,
  );
});

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const { name, body } of checks) {
    const started = Date.now();
    try {
      await body();
      console.log(`✔ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failures.push(name);
      console.error(`✖ ${name}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  console.log(`in-host: ${checks.length - failures.length} of ${checks.length} checks passed`);
  if (failures.length > 0) throw new Error(`${failures.length} in-host checks failed: ${failures.join('; ')}`);
}

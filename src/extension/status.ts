/**
 * The language status item: how many Interleave findings the editor shows — the language server's
 * and the tsserver plugin's, counted from the diagnostics VS Code holds — and when the server last
 * looked.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';
import { INTERLEAVE_ERROR_CODE } from '../tsplugin/protocol';

/** Interleave's findings among VS Code's diagnostics: the server's carry the rule as their code, the plugin's its error code. */
function countFindings(): { server: number; plugin: number } {
  const counts = { server: 0, plugin: 0 };
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== 'interleave') continue;
      const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
      if (code === INTERLEAVE_ERROR_CODE) counts.plugin++;
      else counts.server++;
    }
  }
  return counts;
}

export class HazardStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly listener: vscode.Disposable;
  private lastAnalysis?: string;
  private running = true;

  /** `documents`: where the item shows, every document Interleave reports on. */
  constructor(documents: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('interleave.status', documents);
    this.item.name = 'Interleave';
    this.item.text = 'Interleave: starting';
    this.item.busy = true;
    this.item.command = { title: 'Analyze Workspace', command: 'interleave.analyzeWorkspace' };
    this.listener = vscode.languages.onDidChangeDiagnostics(() => this.render());
  }

  update(status: StatusParams): void {
    this.item.busy = status.analyzing;
    this.lastAnalysis = status.lastAnalysis;
    this.render();
  }

  /** A stopped server publishes nothing, so its count would be stale: say so instead. */
  setServerRunning(running: boolean): void {
    this.running = running;
    this.item.severity = running ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    if (!running) this.item.busy = false;
    this.render();
  }

  private render(): void {
    if (!this.running) {
      this.item.text = 'Interleave: server stopped';
      this.item.detail = 'see Interleave: Show Output';
      return;
    }
    const { server, plugin } = countFindings();
    const total = server + plugin;
    this.item.text = `Interleave: ${total === 1 ? '1 hazard' : `${total} hazards`}`;
    const sources = plugin > 0 ? `${server} from the language server, ${plugin} from the tsserver plugin; ` : '';
    this.item.detail = `${sources}${this.lastAnalysis ? `last analysis ${new Date(this.lastAnalysis).toLocaleTimeString()}` : 'not analysed yet'}`;
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}

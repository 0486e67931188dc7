/** The language status item: how many hazards the server has published, and when it last looked. */
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';

export class HazardStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  /** `documents`: where the server's count means something, the documents it reports on. */
  constructor(documents: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('interleave.status', documents);
    this.item.name = 'Interleave';
    this.item.text = 'Interleave: starting';
    this.item.busy = true;
    this.item.command = { title: 'Analyze Workspace', command: 'interleave.analyzeWorkspace' };
  }

  update(status: StatusParams): void {
    this.item.busy = status.analyzing;
    this.item.text = `Interleave: ${status.hazards === 1 ? '1 hazard' : `${status.hazards} hazards`}`;
    this.item.detail = status.lastAnalysis
      ? `last analysis ${new Date(status.lastAnalysis).toLocaleTimeString()}`
      : 'not analysed yet';
  }

  /** A stopped server publishes nothing, so the count would be stale: say so instead. */
  setServerRunning(running: boolean): void {
    this.item.severity = running ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    if (running) return;
    this.item.busy = false;
    this.item.text = 'Interleave: server stopped';
    this.item.detail = 'see Interleave: Show Output';
  }

  /** Shows the item on other documents, after the server took over or handed back TypeScript files. */
  setDocuments(documents: vscode.DocumentSelector): void {
    this.item.selector = documents;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * The explainer panel's host side: one reused webview panel, a static page under a strict CSP,
 * and the finding (or where a piece of code runs) sent as a message — never written into the HTML,
 * so no source text can end up parsed as markup.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { CodeContexts, ExplainResult, HazardReference } from '../server/protocol';
import type { HostMessage, ViewMessage } from '../webview/messages';

const VIEW_TYPE = 'interleave.explainer';

export class ExplainerPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: HostMessage | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(reference: HazardReference, result: ExplainResult): void {
    this.present(`${result.code} ${result.name}`, { type: 'explain', reference, result });
  }

  /** Where a function, piece of module state or module runs: the worker processes drawn, and each chain. */
  showContexts(contexts: CodeContexts): void {
    this.present(`Where ${contexts.subject.replace(/`/g, '')} runs`, { type: 'contexts', contexts });
  }

  private present(title: string, message: HostMessage): void {
    this.current = message;
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(undefined, true);
      void this.panel.webview.postMessage(this.current);
      return;
    }
    this.panel = this.createPanel(title);
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private createPanel(title: string): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((message: ViewMessage) => this.receive(message));
    panel.onDidDispose(() => {
      this.panel = undefined;
    });
    return panel;
  }

  private receive(message: ViewMessage): void {
    const current = this.current;
    if (!current) return;
    switch (message.type) {
      case 'ready':
        void this.panel?.webview.postMessage(current);
        return;
      case 'reveal':
        if (current.type === 'explain') void revealLine(vscode.Uri.parse(current.reference.uri), message.line);
        return;
      case 'open':
        // Only places the answer names: the page asks, the host decides what may be opened.
        if (current.type === 'contexts' && placesOf(current.contexts).has(message.uri)) void revealLine(vscode.Uri.parse(message.uri), message.line);
        return;
      case 'openDocumentation':
        if (current.type === 'explain') void openDocumentation(current.result.url);
        return;
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'explainer.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'explainer.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Interleave explainer</title>
</head>
<body>
<main id="explainer"><p>Loading the explanation…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

/** The documents an answer links to: the code's own, each chain's, the deployment file's. */
function placesOf(contexts: CodeContexts): Set<string> {
  const uris = [contexts.uri, ...contexts.contexts.flatMap((context) => context.chain.map((link) => link.uri))];
  if (contexts.workers?.source) uris.push(contexts.workers.source.uri);
  return new Set(uris);
}

async function revealLine(uri: vscode.Uri, line: number): Promise<void> {
  const position = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(uri, {
    viewColumn: vscode.ViewColumn.One,
    selection: new vscode.Range(position, position),
  });
}

/** Only web pages: the URL comes from the server, and the panel must not open anything else. */
export async function openDocumentation(url: string): Promise<void> {
  const uri = vscode.Uri.parse(url);
  if (uri.scheme !== 'https' && uri.scheme !== 'http') return;
  await vscode.env.openExternal(uri);
}

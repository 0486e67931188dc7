/**
 * A language client for end-to-end tests: spawns a server, speaks LSP over its stdio with
 * vscode-languageserver-protocol, answers the server's requests the way VS Code does, and records
 * what the server publishes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type Diagnostic,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

export interface ClientOptions {
  /** The command line after `node`: the server script and its arguments. */
  args: string[];
  /** What `workspace/configuration` answers for section `interleave`. */
  settings?: Record<string, unknown>;
}

type Waiter = { check: () => boolean; resolve: () => void };

export class TestLanguageClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in order. */
  readonly publications: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly stderr: string[] = [];
  /** How many times the server asked for the lenses to be fetched again. */
  lensRefreshes = 0;
  settings: Record<string, unknown>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<Waiter>();
  private readonly documents = new Map<string, TextDocument>();

  constructor(options: ClientOptions) {
    this.settings = options.settings ?? {};
    this.child = spawn(process.execPath, options.args, { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.child.on('exit', () => this.wake());
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.publications.push(params);
      this.wake();
    });
    this.connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params);
      this.wake();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
      this.wake();
    });
    this.connection.onUnhandledNotification(({ method, params }) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.lensRefreshes++;
      this.wake();
    });
    this.connection.listen();
  }

  async initialize(folders: readonly string[], initializationOptions?: unknown): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      initializationOptions,
      rootUri: null,
      workspaceFolders: folders.map((folder) => ({ uri: uriOf(folder), name: folder })),
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          workspaceEdit: { documentChanges: true },
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          codeLens: { refreshSupport: true },
        },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  private wake(): void {
    for (const waiter of this.waiters) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Resolves once `check` holds, re-tested after every message from the server. */
  until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('')}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** The diagnostics published for a document's current version (any version for closed files), once they are. */
  async diagnosticsFor(uri: string, check: (diagnostics: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const version = this.documents.get(uri)?.version;
    const current = () => {
      const published = this.diagnostics.get(uri);
      return published !== undefined && (version === undefined || published.version === version) && check(published.diagnostics);
    };
    await this.until(current, `diagnostics for ${uri} v${version}`);
    return this.diagnostics.get(uri)!.diagnostics;
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  open(uri: string, text: string, languageId = 'python'): void {
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental changes, each against the text the previous one left. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): void {
    const document = this.documents.get(uri)!;
    const version = document.version + 1;
    this.documents.set(uri, TextDocument.update(document, changes, version));
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Applies a workspace edit the way an editor does: as incremental changes to the open document. */
  applyEdit(edit: WorkspaceEdit): void {
    const byUri = new Map<string, TextEdit[]>(Object.entries(edit.changes ?? {}));
    for (const change of edit.documentChanges ?? []) {
      if ('edits' in change) byUri.set(change.textDocument.uri, change.edits.filter((edit): edit is TextEdit => 'range' in edit));
    }
    for (const [uri, edits] of byUri) {
      const document = this.documents.get(uri)!;
      // Last in the document first, so earlier ranges still hold; inserts at one position in reverse, so they end up in order.
      const ordered = edits
        .map((edit, order) => ({ edit, order, offset: document.offsetAt(edit.range.start) }))
        .sort((a, b) => b.offset - a.offset || b.order - a.order)
        .map(({ edit }) => ({ range: edit.range, text: edit.newText }));
      this.change(uri, ordered);
    }
  }

  close(uri: string): void {
    this.documents.delete(uri);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Writes bytes to the server's stdin directly, for messages no well-behaved client would send. */
  writeRaw(data: string): void {
    this.child.stdin.write(data);
  }

  /** The server's process id, to read its memory from /proc. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.child.exitCode !== null;
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

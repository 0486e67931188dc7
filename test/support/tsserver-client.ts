/**
 * A tsserver client for end-to-end tests: forks the real `typescript/lib/tsserver.js` and speaks
 * its protocol over stdio — requests are one JSON object per line; responses and events come back
 * framed by a `Content-Length` header.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const TSSERVER = join(__dirname, '..', '..', 'node_modules', 'typescript', 'lib', 'tsserver.js');

interface ServerMessage {
  type: 'response' | 'event';
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: unknown;
}

export interface TsServerOptions {
  /** Passed as `--globalPlugins`. */
  globalPlugins?: string[];
  /** Passed as `--pluginProbeLocations`: directories holding `node_modules/<plugin>`. */
  pluginProbeLocations?: string[];
  /** tsserver's own log, verbose, for assertions on what the plugin logged. */
  logFile?: string;
}

export class TsServerClient {
  private readonly child: ChildProcess;
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (body: unknown) => void; reject: (error: Error) => void }>();
  private exited?: Error;
  private readonly eventWaiters = new Set<{ name: string; resolve: () => void }>();

  constructor(options: TsServerOptions = {}) {
    const args = ['--disableAutomaticTypingAcquisition', '--suppressDiagnosticEvents'];
    if (options.globalPlugins) args.push('--globalPlugins', options.globalPlugins.join(','));
    if (options.pluginProbeLocations) args.push('--pluginProbeLocations', options.pluginProbeLocations.join(','));
    if (options.logFile) args.push('--logVerbosity', 'verbose', '--logFile', options.logFile);
    this.child = fork(TSSERVER, args, { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`tsserver exited (${code ?? signal})`);
      for (const { reject } of this.pending.values()) reject(this.exited);
      this.pending.clear();
    });
  }

  /** Sends a request and resolves with its response's body; a failed request rejects with tsserver's message. */
  request<T>(command: string, args?: unknown): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: (body) => resolve(body as T), reject });
      this.child.stdin!.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
    });
  }

  /** Sends a request that has no response (`open`, `change`, `configurePlugin` is answered but may be ignored). */
  notify(command: string, args?: unknown): void {
    this.child.stdin!.write(`${JSON.stringify({ seq: ++this.seq, type: 'request', command, arguments: args })}\n`);
  }

  /** The tsserver process's id, for reading its memory from /proc. */
  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves when tsserver sends an event of this name after the call; rejects after `timeoutMs`. */
  nextEvent(name: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = { name, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.eventWaiters.delete(waiter);
        reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.eventWaiters.add(waiter);
    });
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  async close(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.notify('exit');
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  private received(event: string): void {
    for (const waiter of this.eventWaiters) {
      if (waiter.name !== event) continue;
      this.eventWaiters.delete(waiter);
      waiter.resolve();
    }
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (true) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      const bodyStart = headerEnd + 4;
      if (this.buffer.length < bodyStart + length) return;
      const message = JSON.parse(this.buffer.subarray(bodyStart, bodyStart + length).toString('utf8')) as ServerMessage;
      this.buffer = this.buffer.subarray(bodyStart + length);
      if (message.type === 'event' && message.event !== undefined) this.received(message.event);
      if (message.type !== 'response' || message.request_seq === undefined) continue;
      const waiting = this.pending.get(message.request_seq);
      if (!waiting) continue;
      this.pending.delete(message.request_seq);
      if (message.success) waiting.resolve(message.body);
      else waiting.reject(new Error(`${message.message ?? 'request failed'}`));
    }
  }
}

import type { RemoteConsole } from 'vscode-languageserver/node';
import type { TraceLevel } from './editor-settings';

/**
 * The server's log, shown in the client's output channel. Problems are always logged; events
 * (configuration loaded, folder indexed) from trace level `messages`; each analysis's timing at
 * `verbose`.
 */
export class ServerLog {
  level: TraceLevel = 'off';

  constructor(private readonly console: RemoteConsole) {}

  error(message: string): void {
    this.console.error(message);
  }

  warn(message: string): void {
    this.console.warn(message);
  }

  info(message: string): void {
    if (this.level !== 'off') this.console.info(message);
  }

  verbose(message: string): void {
    if (this.level === 'verbose') this.console.log(message);
  }
}

/**
 * LSP's base protocol — `Content-Length: N\r\n\r\n` then N bytes of JSON — read strictly. Once a
 * header is malformed there is no telling where the next message starts, so the reader reports a
 * FramingError and reads no further: the server logs the reason and exits, and the client
 * restarts it (VS Code's client does so, and shows the log). vscode-jsonrpc's own reader keeps
 * listening after such an error with its buffer out of step, so every later request goes
 * unanswered; and it waits for any Content-Length, however large. A well-framed body that is not
 * a JSON-RPC message leaves the stream in step: it is skipped, with a reason, and reading goes on.
 */
import { AbstractMessageReader, type DataCallback, type Disposable, type Message } from 'vscode-languageserver/node';

/** Headers longer than this are not LSP's: the base protocol has two short ones. */
const MAX_HEADER_BYTES = 8 * 1024;
/** The largest message accepted: a whole file's text with room to spare, well under what fills the heap. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export class FramingError extends Error {}

/** A frame whose body could not be read as a message; the frames after it still can. */
export interface SkippedFrame {
  skipped: string;
}

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

/** Turns a byte stream into JSON-RPC messages; throws FramingError at the first malformed frame. */
export class FrameParser {
  private buffer = Buffer.alloc(0);
  private bodyLength: number | undefined;
  private failed = false;

  /** Adds bytes; returns the messages they complete, in order, and the frames skipped among them. */
  push(chunk: Uint8Array): (object | SkippedFrame)[] {
    if (this.failed) throw new FramingError('the stream was already out of step');
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const messages: (object | SkippedFrame)[] = [];
    try {
      for (;;) {
        if (this.bodyLength === undefined) {
          const end = this.buffer.indexOf(HEADER_END);
          if (end < 0) {
            if (this.buffer.length > MAX_HEADER_BYTES) throw new FramingError(`a header longer than ${MAX_HEADER_BYTES} bytes`);
            return messages;
          }
          this.bodyLength = contentLength(this.buffer.subarray(0, end).toString('latin1'));
          this.buffer = this.buffer.subarray(end + HEADER_END.length);
        }
        if (this.buffer.length < this.bodyLength) return messages;
        const body = this.buffer.subarray(0, this.bodyLength);
        this.buffer = this.buffer.subarray(this.bodyLength);
        this.bodyLength = undefined;
        messages.push(jsonBody(body));
      }
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }
}

/** The Content-Length of a header block: present once, a decimal number of bytes within the limit. */
function contentLength(header: string): number {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new FramingError(`a malformed header line ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name !== 'content-length') continue;
    if (length !== undefined) throw new FramingError('two Content-Length headers');
    if (!/^\d{1,12}$/.test(value)) throw new FramingError(`Content-Length ${JSON.stringify(value.slice(0, 40))} is not a number of bytes`);
    length = Number(value);
    if (length > MAX_MESSAGE_BYTES) throw new FramingError(`Content-Length ${length} is over the ${MAX_MESSAGE_BYTES}-byte limit`);
  }
  if (length === undefined) throw new FramingError('a header without Content-Length');
  return length;
}

function jsonBody(body: Buffer): object | SkippedFrame {
  let message: unknown;
  try {
    message = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    return { skipped: `a body that is not UTF-8 JSON (${(error as Error).message})` };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { skipped: 'a body that is not a JSON-RPC message object' };
  return message;
}

export function isSkippedFrame(frame: object): frame is SkippedFrame {
  return 'skipped' in frame && typeof (frame as SkippedFrame).skipped === 'string' && !('jsonrpc' in frame);
}

/** A MessageReader over a Node stream that stops, with a FramingError on `onError`, at the first bad frame. */
export class StrictStreamMessageReader extends AbstractMessageReader {
  private readonly parser = new FrameParser();

  constructor(
    private readonly stream: NodeJS.ReadableStream,
    private readonly onSkipped: (reason: string) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer) => {
      let messages: (object | SkippedFrame)[];
      try {
        messages = this.parser.push(chunk);
      } catch (error) {
        this.stream.removeListener('data', onData);
        this.fireError(error);
        return;
      }
      for (const message of messages) {
        if (isSkippedFrame(message)) this.onSkipped(message.skipped);
        else callback(message as Message);
      }
    };
    this.stream.on('data', onData);
    this.stream.on('error', (error: Error) => this.fireError(error));
    this.stream.on('close', () => this.fireClose());
    return { dispose: () => this.stream.removeListener('data', onData) };
  }
}

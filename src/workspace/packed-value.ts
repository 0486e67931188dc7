import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A structured-clonable value as compressed bytes, for what a batch holds many of and reads
 * rarely: a module's facts between the two passes (a fifth to a tenth of the objects' heap), and
 * summaries on their way between threads (bytes are transferred, not cloned, and the main thread
 * never has to decode them). Structured cloning keeps what JSON would lose: objects shared within
 * the value stay shared, `undefined` properties, Maps and Sets.
 */
export type PackedValue<T> = Uint8Array & { readonly packed?: T };

/** Level 1: compressing is paid on every file, and the fastest level already takes off most of it. */
const LEVEL = 1;

export function pack<T>(value: T): PackedValue<T> {
  // A copy of exactly its bytes: zlib's output is a view of a larger chunk, which a message to
  // another thread would carry whole, and which would be kept alive as long as the view.
  return new Uint8Array(deflateRawSync(serialize(value), { level: LEVEL }));
}

export function unpack<T>(bytes: PackedValue<T>): T {
  return deserialize(inflateRawSync(bytes)) as T;
}

/**
 * One copy of each distinct string among the values it is given. A value decoded from bytes has
 * a string of its own for every occurrence, and summaries repeat the same qualified names, module
 * names and kinds thousands of times: a thread holding every module's summaries holds a third
 * less once they share their strings. Only plain objects and arrays are walked.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** Replaces, in place, every string of `value` by the pool's copy; returns `value`. */
  share<T>(value: T): T {
    return this.shared(value) as T;
  }

  private shared(value: unknown): unknown {
    if (typeof value === 'string') {
      const known = this.strings.get(value);
      if (known !== undefined) return known;
      this.strings.set(value, value);
      return value;
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = this.shared(value[index]);
    } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = this.shared(record[key]);
    }
    return value;
  }
}

/**
 * A JSON reader that remembers where things are: configuration errors in `package.json` name the
 * line of the key they are about, as they do for TOML. Strict JSON (RFC 8259), as npm reads it.
 */

/** A JSON value; objects keep their members in order, each with the line its key is on. */
export type JsonNode =
  | { kind: 'object'; members: JsonMember[]; line: number }
  | { kind: 'array'; items: JsonNode[]; line: number }
  | { kind: 'scalar'; value: string | number | boolean | null; line: number };

export interface JsonMember {
  key: string;
  /** 1-based line of the key. */
  line: number;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based. */
    readonly line: number,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Objects and arrays nest no deeper than this: deeper is a syntax error, not a stack overflow. */
export const MAX_JSON_DEPTH = 64;

class JsonReader {
  private index = 0;
  private line = 1;
  private depth = 0;

  constructor(private readonly text: string) {}

  document(): JsonNode {
    const value = this.value();
    this.whitespace();
    if (this.index < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.line);
  }

  private whitespace(): void {
    for (;;) {
      const char = this.text[this.index];
      if (char === '\n') this.line++;
      else if (char !== ' ' && char !== '\t' && char !== '\r') return;
      this.index++;
    }
  }

  private expect(char: string): void {
    this.whitespace();
    if (this.text[this.index] !== char) this.fail(`expected \`${char}\``);
    this.index++;
  }

  private value(): JsonNode {
    this.whitespace();
    const line = this.line;
    const char = this.text[this.index];
    if (char === '{' || char === '[') {
      if (++this.depth > MAX_JSON_DEPTH) this.fail(`objects and arrays nested deeper than ${MAX_JSON_DEPTH} levels`);
      const node = char === '{' ? this.object() : this.array();
      this.depth--;
      return node;
    }
    if (char === '"') return { kind: 'scalar', value: this.string(), line };
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return { kind: 'scalar', value, line };
      }
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.index, this.index + 64));
    if (!number) this.fail(char === undefined ? 'unexpected end of the file' : `unexpected \`${char}\``);
    this.index += number[0].length;
    return { kind: 'scalar', value: Number(number[0]), line };
  }

  private object(): JsonNode {
    const line = this.line;
    this.index++;
    const members: JsonMember[] = [];
    this.whitespace();
    if (this.text[this.index] === '}') {
      this.index++;
      return { kind: 'object', members, line };
    }
    for (;;) {
      this.whitespace();
      if (this.text[this.index] !== '"') this.fail('expected a string key');
      const keyLine = this.line;
      const key = this.string();
      this.expect(':');
      members.push({ key, line: keyLine, value: this.value() });
      this.whitespace();
      const next = this.text[this.index++];
      if (next === '}') return { kind: 'object', members, line };
      if (next !== ',') this.fail('expected `,` or `}`');
    }
  }

  private array(): JsonNode {
    const line = this.line;
    this.index++;
    const items: JsonNode[] = [];
    this.whitespace();
    if (this.text[this.index] === ']') {
      this.index++;
      return { kind: 'array', items, line };
    }
    for (;;) {
      items.push(this.value());
      this.whitespace();
      const next = this.text[this.index++];
      if (next === ']') return { kind: 'array', items, line };
      if (next !== ',') this.fail('expected `,` or `]`');
    }
  }

  private string(): string {
    this.index++;
    let result = '';
    for (;;) {
      const char = this.text[this.index++];
      if (char === undefined || char === '\n') this.fail('unterminated string');
      if (char === '"') return result;
      if (char !== '\\') {
        result += char;
        continue;
      }
      const escape = this.text[this.index++] ?? '';
      if (escape === 'u') {
        const hex = this.text.slice(this.index, this.index + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        result += String.fromCharCode(parseInt(hex, 16));
        this.index += 4;
      } else if (escape in ESCAPES) {
        result += ESCAPES[escape];
      } else {
        this.fail(`invalid escape \`\\${escape}\``);
      }
    }
  }
}

/** Parses JSON text; throws JsonSyntaxError with the line where it stopped making sense. */
export function parseJsonDocument(text: string): JsonNode {
  return new JsonReader(text.replace(/^\uFEFF/, '')).document();
}

/** The plain value of a node, as `JSON.parse` would give it. */
export function plainJson(node: JsonNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'array':
      return node.items.map(plainJson);
    case 'object':
      return Object.fromEntries(node.members.map((member) => [member.key, plainJson(member.value)]));
  }
}

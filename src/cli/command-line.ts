import { parseArgs } from 'node:util';

/** A command-line option: what `parseArgs` needs, plus what `--help` shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in help, e.g. `FORMAT`. */
  value?: string;
  description: string;
}

/** A mistake in how the CLI was called: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Strict parsing: unknown options and missing values are usage errors, not silently ignored. */
export function parseCommandLine<const Options extends Record<string, OptionSpec>>(
  args: readonly string[],
  options: Options,
  command: string,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
}

/** `--help` text: usage, what the command does, then its options in an aligned table. */
export function helpText(usage: string, description: string, options: Record<string, OptionSpec>): string {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` <${spec.value}>` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const table = rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n');
  return `${description}\n\nUsage: ${usage}\n\nOptions:\n${table}\n`;
}

/** Values of a repeatable, comma-separated option: `--select IL1,IL2 --select IL4`. */
export function commaSeparated(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

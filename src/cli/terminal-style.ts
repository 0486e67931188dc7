import type { Severity } from '../core/hazard';
import type { CliIO, OutputStream } from './cli-io';

/** The styles reports use; identity functions when colour is off. */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  gutter(text: string): string;
  help(text: string): string;
  severity(severity: Severity, text: string): string;
}


/**
 * Colour on a terminal, off when piped; `FORCE_COLOR` (other than `0`/`false`) forces it on and
 * `NO_COLOR` (any non-empty value) off, FORCE_COLOR winning as in Node and most CLIs.
 */
export function colorEnabled(stream: Pick<OutputStream, 'isTTY'>, env: CliIO['env']): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

const SEVERITY_COLOR: Record<Severity, (text: string) => string> = {
  error: sgr(31, 39),
  warning: sgr(33, 39),
  info: sgr(34, 39),
  hint: sgr(36, 39),
};

const plain = (text: string) => text;

export function paletteFor(enabled: boolean): Palette {
  if (!enabled) return { bold: plain, dim: plain, gutter: plain, help: plain, severity: (_severity, text) => text };
  const bold = sgr(1, 22);
  return {
    bold,
    dim: sgr(2, 22),
    gutter: sgr(34, 39),
    help: sgr(36, 39),
    severity: (severity, text) => bold(SEVERITY_COLOR[severity](text)),
  };
}

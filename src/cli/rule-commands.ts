import { findRule } from '../core/config';
import { ruleUrl } from '../core/rule';
import { RULES } from '../rules';
import { renderRuleMarkdown } from '../rules/docs';
import { ExitStatus, type CliIO } from './cli-io';
import { helpText, parseCommandLine, UsageError, type OptionSpec } from './command-line';

const HELP_OPTION = { help: { type: 'boolean', short: 'h', description: 'Show this help' } } as const satisfies Record<string, OptionSpec>;

export const EXPLAIN_HELP = helpText(
  'interleave explain <CODE|NAME>',
  "Explain a rule: what it finds, why it matters, an example and what to write instead, its fix's safety.",
  HELP_OPTION,
);

const RULES_OPTIONS = {
  format: { type: 'string', value: 'FORMAT', description: 'Output format: text (default) or json' },
  ...HELP_OPTION,
} as const satisfies Record<string, OptionSpec>;

export const RULES_HELP = helpText('interleave rules [--format json]', 'List every rule.', RULES_OPTIONS);

export function runExplain(args: readonly string[], io: CliIO): number {
  const { values, positionals } = parseCommandLine(args, HELP_OPTION, 'explain');
  if (values.help) {
    io.stdout.write(EXPLAIN_HELP);
    return ExitStatus.clean;
  }
  if (positionals.length !== 1) throw new UsageError('expected one rule code or name, e.g. `interleave explain IL101`', 'explain');
  const wanted = positionals[0]!;
  const rule = findRule(wanted, RULES.map((candidate) => candidate.meta));
  if (!rule) throw new UsageError(`unknown rule \`${wanted}\` (\`interleave rules\` lists them)`, 'explain');
  io.stdout.write(renderRuleMarkdown(rule));
  return ExitStatus.clean;
}

export function runRules(args: readonly string[], io: CliIO): number {
  const { values, positionals } = parseCommandLine(args, RULES_OPTIONS, 'rules');
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return ExitStatus.clean;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``, 'rules');
  const metas = RULES.map((rule) => rule.meta);
  switch (values.format ?? 'text') {
    case 'json': {
      const rows = metas.map((meta) => ({
        code: meta.code,
        name: meta.name,
        family: meta.family,
        default_severity: meta.defaultSeverity,
        fix: meta.fix,
        languages: meta.languages,
        summary: meta.summary,
        preview: meta.preview === true,
        url: ruleUrl(meta),
      }));
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return ExitStatus.clean;
    }
    case 'text': {
      const header = ['code', 'name', 'family', 'severity', 'fix', 'summary'];
      const rows = metas.map((meta) => [meta.code, meta.name, meta.family, `${meta.defaultSeverity}${meta.preview ? ' (preview)' : ''}`, meta.fix, meta.summary]);
      const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
      const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
      io.stdout.write(`${[header, ...rows].map(line).join('\n')}\n`);
      return ExitStatus.clean;
    }
    default:
      throw new UsageError(`unknown format \`${values.format}\` (expected text or json)`, 'rules');
  }
}

import type { RuleMeta } from '../core/rule';

const FENCE: Record<string, string> = { python: 'python', typescript: 'ts' };

/** The fence of a deployment file example, by its name. */
function deploymentFence(file: string): string {
  if (/Dockerfile|Containerfile/.test(file)) return 'dockerfile';
  if (/\.ya?ml$/.test(file)) return 'yaml';
  if (/\.py$/.test(file)) return 'python';
  return /Makefile/.test(file) ? 'make' : 'shell';
}

/** A rule's documentation as Markdown: the text of `interleave explain` and `docs/rules/*.md`. */
export function renderRuleMarkdown(meta: RuleMeta): string {
  const { docs } = meta;
  const examples = (side: 'bad' | 'good') =>
    docs.examples
      .map((example) => {
        const label = example.framework ? `${example.framework}:\n\n` : '';
        const fence = example.deploymentFile ? deploymentFence(example.deploymentFile) : (FENCE[example.language] ?? '');
        const { servedWith } = example;
        const served =
          servedWith && side === 'bad'
            ? `Served with \`${servedWith.file}\`:\n\n\`\`\`${deploymentFence(servedWith.file)}\n${servedWith.text.trimEnd()}\n\`\`\`\n\n`
            : '';
        return `${label}${served}\`\`\`${fence}\n${example[side].trimEnd()}\n\`\`\``;
      })
      .join('\n\n');
  return [
    `# ${meta.name} (${meta.code})`,
    '',
    `Family: ${meta.family} · Default severity: ${meta.defaultSeverity} · Fix: ${meta.fix}${meta.preview ? ' · Preview: off unless selected by its code or name, or with `preview = true`' : ''}`,
    '',
    meta.summary,
    '',
    '## What it does',
    docs.whatItDoes.trim(),
    '',
    '## Why is this bad?',
    docs.whyIsThisBad.trim(),
    '',
    '## Example',
    examples('bad'),
    '',
    'Use instead:',
    '',
    examples('good'),
    '',
    '## Fix safety',
    docs.fixSafety.trim(),
    '',
    '## When not to use it',
    docs.whenNotToUse.trim(),
    '',
  ].join('\n');
}

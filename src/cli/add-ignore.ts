/** `check --add-ignore`: suppression comments for every current finding, as Ruff's `--add-noqa` writes `# noqa`. */
import type { RuleMeta } from '../core/rule';
import { loadFrontends } from '../workspace/analyze';
import { FileAnalyzer, type FileAnalysisSettings, type FileOutcome, type FileTask } from '../workspace/file-analysis';
import { addIgnoreComments } from '../workspace/file-ignores';
import type { ProjectFacts } from '../core/rule';
import { displayPath } from './check-results';
import type { CliIO } from './cli-io';

/** Writes the comments file by file; says on stderr how many it added and which files it left alone. */
export async function addIgnoresToFiles(
  outcomes: readonly FileOutcome[],
  tasks: readonly FileTask[],
  settings: FileAnalysisSettings,
  project: ProjectFacts,
  rules: readonly RuleMeta[],
  io: CliIO,
): Promise<number> {
  await loadFrontends();
  const analyzer = new FileAnalyzer(settings);
  analyzer.setProject(project);
  const taskOf = new Map(tasks.map((task) => [task.path, task]));
  let comments = 0;
  let files = 0;
  for (const outcome of outcomes) {
    const task = taskOf.get(outcome.path);
    if (!task || outcome.hazards.length === 0) continue;
    const added = addIgnoreComments(outcome, task, analyzer, rules);
    if (added.problem !== undefined) io.stderr.write(`error: ${displayPath(io.cwd, added.path)}: no comments added: ${added.problem}\n`);
    comments += added.comments;
    if (added.comments > 0) files++;
  }
  io.stderr.write(`Added ${comments} suppression ${comments === 1 ? 'comment' : 'comments'} to ${files} ${files === 1 ? 'file' : 'files'}.\n`);
  return comments;
}

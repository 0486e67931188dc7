import { DEFAULT_FILE_BUDGET_MS } from '../../src/core/budget';
import { resolveConfig, type Settings } from '../../src/core/config';
import { checkDeploymentFile, projectFacts, summarizeModule, type ModuleReport } from '../../src/core/engine';
import { RULES } from '../../src/rules';
import { loadFrontends, moduleNameFor, parseSource } from '../../src/workspace/analyze';
import { analyzeFiles } from '../../src/workspace/batch-analysis';
import { projectDeployment } from '../../src/workspace/deployment';
import { parseDeploymentFile } from '../../src/workspace/deployment-parsers';
import { discoverSourceFiles } from '../../src/workspace/discovery';
import type { FileOutcome } from '../../src/workspace/file-analysis';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/workspace/source-file';

/**
 * Checks a project directory the way `interleave check <root>` does, in-process: its source and
 * deployment files, with the deployment files read from the root and the worker count they give.
 */
export async function checkProjectDirectory(root: string, settings?: Settings): Promise<FileOutcome[]> {
  const config = resolveConfig(settings ? [settings] : [], RULES.map((rule) => rule.meta));
  const { files } = discoverSourceFiles([root], { exclude: [], excludeBase: root, respectGitignore: false });
  const tasks = files.map((path) => ({ path, moduleName: moduleNameFor(path, root) }));
  return analyzeFiles(tasks, {
    settings: { config, project: projectDeployment(root, config.workers), maxFileSize: DEFAULT_MAX_FILE_SIZE, fileBudgetMs: DEFAULT_FILE_BUDGET_MS, projectRoot: root },
    threads: 1,
  });
}

/** A FastAPI application module, for deployment examples that need an ASGI app to deploy. */
const FASTAPI_APPLICATION = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

/**
 * Checks one deployment file's text (named like `Dockerfile`) in a project whose `app.main`
 * module is `application`, for documentation examples.
 */
export async function analyzeDeploymentText(fileName: string, text: string, application = FASTAPI_APPLICATION): Promise<ModuleReport> {
  await loadFrontends();
  const module = parseSource('/project/app/main.py', application, 'app.main');
  if (!module) throw new Error('the application does not parse');
  const file = parseDeploymentFile(`/project/${fileName}`, fileName, text);
  if (!file) throw new Error(`${fileName} is not a deployment file`);
  const project = projectFacts([summarizeModule(module, RULES)], { deployment: [file] });
  const config = resolveConfig([], RULES.map((rule) => rule.meta));
  return checkDeploymentFile(file, { rules: RULES, config, project });
}

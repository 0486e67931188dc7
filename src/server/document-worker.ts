// The language server's analysis thread (dist/document-worker.js): parses and checks open
// documents, computes fix-all and checks closed files, one request at a time, each within the
// per-file budget. The server's own thread only sends text and publishes results, so it answers
// the editor however long a document takes here — and restarts this thread if it stops answering.
import { parentPort } from 'node:worker_threads';
import { withBudget } from '../core/budget';
import { withFileSuppressions } from '../core/bulk-suppressions';
import { checkModule } from '../core/engine';
import { applySafeFixes } from '../core/fix-all';
import { notAnalysedReason } from '../core/not-analysed';
import type { ProjectFacts } from '../core/rule';
import { RULES } from '../rules';
import { loadFrontends, parseSource } from '../workspace/analyze';
import { FileAnalyzer } from '../workspace/file-analysis';
import type { AnalysisReply, AnalysisRequest, AnalysisSettings } from './analysis-protocol';
import { DocumentParsers } from './document-parser';
import { summarize } from './project-context';

const port = parentPort;
if (!port) throw new Error('document-worker runs only as a worker thread');
const ready = loadFrontends();
const parsers = new DocumentParsers();
/** Project facts by key, the few most recent: documents of one folder share theirs. */
const projects = new Map<number, ProjectFacts>();
const KEPT_PROJECTS = 8;

function projectOf(settings: AnalysisSettings): ProjectFacts {
  const { key, facts } = settings.project;
  if (facts) {
    projects.set(key, facts);
    if (projects.size > KEPT_PROJECTS) projects.delete(projects.keys().next().value!);
  }
  return projects.get(key) ?? {};
}

function answer(request: AnalysisRequest): AnalysisReply | undefined {
  const { id } = request;
  switch (request.kind) {
    case 'close':
      parsers.drop(request.uri);
      return undefined;
    case 'document': {
      const project = projectOf(request);
      const started = performance.now();
      const parsed = withBudget(request.budgetMs, () => parsers.parse(request.uri, request.path, request.moduleName, request.text, request.edits));
      const summary = request.summarize ? withBudget(request.budgetMs, () => summarize(parsed, request.root)) : undefined;
      const parsedAt = performance.now();
      const report = withBudget(request.budgetMs, () => checkModule(parsed, { rules: RULES, config: request.config, project }));
      const { facts } = parsed;
      return {
        id,
        kind: 'document',
        result: {
          // Findings interleave-suppressions.json records are left out (or made hints) here, with the text at hand.
          hazards: withFileSuppressions(report.hazards, request.text, request.suppressions),
          comments: facts.comments,
          language: facts.language,
          summary,
          problems: report.problems,
          parseMs: parsedAt - started,
          checkMs: performance.now() - parsedAt,
        },
      };
    }
    case 'fix-all': {
      const project = projectOf(request);
      const analyse = (text: string) => {
        const parsed = parseSource(request.path, text, request.moduleName);
        if (!parsed) return { hazards: [], syntaxErrors: 0 };
        const report = checkModule(parsed, { rules: RULES, config: request.config, project });
        return { hazards: report.hazards, syntaxErrors: parsed.facts.syntaxErrors.length };
      };
      return { id, kind: 'fix-all', text: withBudget(request.budgetMs, () => applySafeFixes(request.text, analyse)) };
    }
    case 'file': {
      const analyzer = new FileAnalyzer({ config: request.config, project: projectOf(request), maxFileSize: request.maxFileSize, fileBudgetMs: request.budgetMs });
      const outcome = analyzer.check({ path: request.path, moduleName: request.moduleName });
      const hazards = outcome.source === undefined ? outcome.hazards : withFileSuppressions(outcome.hazards, outcome.source, request.suppressions);
      return { id, kind: 'file', outcome: { ...outcome, hazards } };
    }
  }
}

port.on('message', (request: AnalysisRequest) => {
  void ready.then(() => {
    let reply: AnalysisReply | undefined;
    try {
      reply = answer(request);
    } catch (error) {
      const reason = notAnalysedReason(error);
      reply = reason !== undefined ? { id: request.id, kind: 'not-analysed', reason } : { id: request.id, kind: 'failed', error: (error as Error).stack ?? String(error) };
    }
    if (reply) port.postMessage(reply);
  });
});

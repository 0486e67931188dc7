// The language server's analysis thread (dist/document-worker.js): parses and checks open
// documents, computes fix-all, checks closed files and says where code runs (the lens, and the
// answer at a position), one request at a time, each within the per-file budget. The server's own thread only sends text and publishes results, so it answers
// the editor however long a document takes here — and restarts this thread if it stops answering.
import { parentPort } from 'node:worker_threads';
import { withBudget } from '../core/budget';
import { withFileSuppressions } from '../core/bulk-suppressions';
import { withHeadline } from '../core/headline';
import { checkModule, withModuleSummaries, type ModuleSummaries } from '../core/engine';
import { applySafeFixes } from '../core/fix-all';
import { notAnalysedReason } from '../core/not-analysed';
import type { ProjectFacts } from '../core/rule';
import { RULES } from '../rules';
import { loadFrontends, parseSource } from '../workspace/analyze';
import { FileAnalyzer } from '../workspace/file-analysis';
import { readSourceFile } from '../workspace/source-file';
import type { AnalysisReply, AnalysisRequest, AnalysisSettings } from './analysis-protocol';
import { contextsAt, lensedCode, type AnalysedModule } from './code-contexts';
import { DocumentParsers } from './document-parser';
import { summarize } from './project-context';

const port = parentPort;
if (!port) throw new Error('document-worker runs only as a worker thread');
const ready = loadFrontends();
const parsers = new DocumentParsers();
/** Project facts by key, the few most recent: documents of one folder share theirs. */
const projects = new Map<number, ProjectFacts>();
const KEPT_PROJECTS = 8;
/** Each open document's last analysis, by URI: where code runs is read from it, not parsed again. */
const analysed = new Map<string, AnalysedModule>();
/**
 * The project facts each open document was last checked against: the server's, with the
 * document's own summaries as of its text. Kept while neither changes, so a keystroke that leaves
 * the summaries as they were reuses every model the rules built from them.
 */
const checkedAgainst = new Map<string, { base: ProjectFacts; summary: string; project: ProjectFacts }>();

function projectOf(settings: Pick<AnalysisSettings, 'project'>): ProjectFacts {
  const { key, facts } = settings.project;
  if (facts) {
    projects.set(key, facts);
    if (projects.size > KEPT_PROJECTS) projects.delete(projects.keys().next().value!);
  }
  return projects.get(key) ?? {};
}

/** The server's project facts as of the document's current text; the server's alone when it is not summarised (unsaved, or not indexed). */
function projectWith(uri: string, base: ProjectFacts, summary: ModuleSummaries | undefined, json: string | undefined): ProjectFacts {
  if (!summary || json === undefined) return base;
  const kept = checkedAgainst.get(uri);
  if (kept?.base === base && kept.summary === json) return kept.project;
  const project = withModuleSummaries(base, summary);
  checkedAgainst.set(uri, { base, summary: json, project });
  return project;
}

function answer(request: AnalysisRequest): AnalysisReply | undefined {
  const { id } = request;
  switch (request.kind) {
    case 'close':
      parsers.close(request.uri);
      analysed.delete(request.uri);
      checkedAgainst.delete(request.uri);
      return undefined;
    case 'document': {
      analysed.delete(request.uri);
      const started = performance.now();
      const parsed = withBudget(request.budgetMs, () => parsers.parse(request.uri, request.path, request.moduleName, request.text, request.edits));
      const summary = request.summarize ? withBudget(request.budgetMs, () => summarize(parsed, request.root)) : undefined;
      const summaryJson = summary && JSON.stringify(summary);
      const parsedAt = performance.now();
      const project = projectWith(request.uri, projectOf(request), summary, summaryJson);
      const report = withBudget(request.budgetMs, () => checkModule(parsed, { rules: RULES, config: request.config, project }));
      const { facts } = parsed;
      const module: AnalysedModule = { module: facts, project, uri: request.uri };
      const lensed = withBudget(request.budgetMs, () => lensedCode(module));
      analysed.set(request.uri, module);
      return {
        id,
        kind: 'document',
        result: {
          // Each message cut to its headline; findings interleave-suppressions.json records are left out (or made hints) here, with the text at hand.
          hazards: withFileSuppressions(report.hazards.map(withHeadline), request.text, request.suppressions),
          comments: facts.comments,
          language: facts.language,
          summary: summaryJson,
          lensed,
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
      const shown = outcome.hazards.map(withHeadline);
      const hazards = outcome.source === undefined ? shown : withFileSuppressions(shown, outcome.source, request.suppressions);
      return { id, kind: 'file', outcome: { ...outcome, hazards } };
    }
    case 'contexts-at': {
      const module = analysed.get(request.uri);
      if (!module) return { id, kind: 'not-analysed', reason: 'not analysed since it was opened or last changed' };
      return { id, kind: 'contexts-at', contexts: withBudget(request.budgetMs, () => contextsAt(module, request.position)) };
    }
    case 'file-contexts-at': {
      const read = readSourceFile(request.path, request.maxFileSize);
      if (read.kind !== 'text') return { id, kind: 'not-analysed', reason: read.reason };
      const project = projectOf(request);
      const contexts = withBudget(request.budgetMs, () => {
        const parsed = parseSource(request.path, read.text, request.moduleName);
        return parsed && contextsAt({ module: parsed.facts, project, uri: request.uri }, request.position);
      });
      return contexts ? { id, kind: 'contexts-at', contexts } : { id, kind: 'not-analysed', reason: 'not a file type Interleave analyses' };
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

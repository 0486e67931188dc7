import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Fix as SarifFix, Invocation, Log, Region, ReportingDescriptor, Result } from 'sarif';
import type { Range } from '../core/facts';
import type { Hazard, Severity } from '../core/hazard';
import { ruleUrl } from '../core/rule';
import { renderRuleMarkdown } from '../rules/docs';
import type { CheckResults } from './check-results';
import { NOT_ANALYSED, notAnalysedMessage } from './not-analysed';
import { posixPathInside } from '../workspace/relative-path';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/interleave-dev/interleave';
const SOURCE_ROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Result.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/**
 * Where a file is: relative to `%SRCROOT%` (the working directory) when inside it, which is what
 * code scanning needs to map results onto the repository; otherwise an absolute file URI.
 */
function artifactLocation(cwd: string, path: string): ArtifactLocation {
  const rel = posixPathInside(cwd, path);
  if (rel === undefined) return { uri: pathToFileURL(path).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

/** 1-based lines; columns stay UTF-16 code units, which the run declares with `columnKind`. */
function region(range: Range): Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function sarifFix(hazard: Hazard, cwd: string): SarifFix[] | undefined {
  if (!hazard.fix) return undefined;
  return [
    {
      description: { text: `${hazard.fix.message} (${hazard.fix.applicability} fix)` },
      artifactChanges: [
        {
          artifactLocation: artifactLocation(cwd, hazard.path),
          replacements: hazard.fix.edits.map((edit) => ({
            deletedRegion: region(edit.range),
            insertedContent: { text: edit.newText },
          })),
        },
      ],
    },
  ];
}

/**
 * The run's invocation: files that were not analysed are tool execution notifications, the place
 * SARIF keeps what went wrong while the tool ran (code scanning lists them as errors of the run).
 */
function invocation(results: CheckResults): Invocation {
  return {
    executionSuccessful: results.notAnalysed.length === 0,
    toolExecutionNotifications: results.notAnalysed.map((file) => ({
      level: 'error',
      descriptor: { id: NOT_ANALYSED },
      message: { text: notAnalysedMessage(file) },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(results.cwd, file.path) } }],
    })),
  };
}

/** SARIF 2.1.0 for code scanning: one run, the enabled rules with their docs, one result per hazard. */
export function formatSarif(results: CheckResults, version: string): string {
  const rules: ReportingDescriptor[] = results.rules.map((meta) => ({
    id: meta.code,
    name: meta.name,
    shortDescription: { text: meta.summary },
    fullDescription: { text: meta.docs.whatItDoes.trim(), markdown: meta.docs.whatItDoes.trim() },
    help: { text: renderRuleMarkdown(meta), markdown: renderRuleMarkdown(meta) },
    helpUri: ruleUrl(meta),
    defaultConfiguration: { level: LEVEL[results.severity.get(meta.code) ?? meta.defaultSeverity] },
    properties: { tags: [meta.family] },
  }));
  const ruleIndex = new Map(results.rules.map((meta, index) => [meta.code, index]));
  const sarifResults: Result[] = results.hazards.map((hazard) => ({
    ruleId: hazard.code,
    ruleIndex: ruleIndex.get(hazard.code),
    level: LEVEL[hazard.severity],
    message: { text: hazard.message },
    locations: [
      { physicalLocation: { artifactLocation: artifactLocation(results.cwd, hazard.path), region: region(hazard.range) } },
    ],
    relatedLocations: hazard.related.map((related, index) => ({
      id: index,
      message: { text: related.message },
      physicalLocation: { artifactLocation: artifactLocation(results.cwd, related.path), region: region(related.range) },
    })),
    fixes: sarifFix(hazard, results.cwd),
  }));
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'interleave', version, semanticVersion: version, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(results.cwd.endsWith('/') ? results.cwd : `${results.cwd}/`).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [invocation(results)],
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

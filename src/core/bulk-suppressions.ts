/**
 * Bulk suppressions (ESLint's `eslint-suppressions.json`, basedpyright's baseline): the findings a
 * codebase had when it adopted Interleave, counted per file and rule, so that later runs report
 * only what goes beyond them. Each count carries its findings' fingerprints (rule and flagged code,
 * see fingerprint.ts): when a file has more findings of a rule than its count, the ones whose
 * fingerprints were not recorded are the new ones, wherever lines moved. Pure: text in, text out.
 */
import { findingFingerprint, flaggedText } from './fingerprint';
import { compareHazards, type Hazard } from './hazard';

export const SUPPRESSIONS_FILE_NAME = 'interleave-suppressions.json';
export const SUPPRESSIONS_VERSION = 1;

export interface RuleSuppression {
  count: number;
  fingerprints: string[];
}

/** File (relative to the suppressions file, `/`-separated) → rule code → what is suppressed. */
export type BulkSuppressions = Map<string, Map<string, RuleSuppression>>;

/** A suppressions file that cannot be used as it is: said in a sentence, with what to do. */
export class SuppressionsFileError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseBulkSuppressions(text: string): BulkSuppressions {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SuppressionsFileError(`is not valid JSON (${(error as Error).message}); fix it, or delete it and run \`interleave check --suppress-all\``);
  }
  if (!isRecord(raw)) throw new SuppressionsFileError('must hold a JSON object with `version` and `files`');
  if (raw.version !== SUPPRESSIONS_VERSION) {
    const newer = typeof raw.version === 'number' && raw.version > SUPPRESSIONS_VERSION;
    throw new SuppressionsFileError(
      `is version ${JSON.stringify(raw.version ?? null)}, and this Interleave reads version ${SUPPRESSIONS_VERSION}: ` +
        (newer ? 'upgrade Interleave' : 'delete it and run `interleave check --suppress-all` to write it anew'),
    );
  }
  if (!isRecord(raw.files)) throw new SuppressionsFileError('must have `files`: an object from file paths to rules');
  const suppressions: BulkSuppressions = new Map();
  for (const [file, rules] of Object.entries(raw.files)) {
    if (!isRecord(rules)) throw new SuppressionsFileError(`has a bad entry for \`${file}\`: expected an object from rule codes to \`{ "count": n }\``);
    const byRule = new Map<string, RuleSuppression>();
    for (const [code, entry] of Object.entries(rules)) {
      const count = isRecord(entry) ? entry.count : undefined;
      const fingerprints = isRecord(entry) ? (entry.fingerprints ?? []) : undefined;
      if (!Number.isInteger(count) || (count as number) < 0 || !Array.isArray(fingerprints) || !fingerprints.every((one) => typeof one === 'string')) {
        throw new SuppressionsFileError(`has a bad entry for ${code} in \`${file}\`: expected \`{ "count": n, "fingerprints": [...] }\``);
      }
      if ((count as number) > 0) byRule.set(code, { count: count as number, fingerprints: fingerprints as string[] });
    }
    if (byRule.size > 0) suppressions.set(file, byRule);
  }
  return suppressions;
}

/** The file's text: keys sorted, so it diffs well under version control. */
export function serializeBulkSuppressions(suppressions: BulkSuppressions): string {
  const files: Record<string, Record<string, RuleSuppression>> = {};
  for (const file of [...suppressions.keys()].sort()) {
    const rules = suppressions.get(file)!;
    if (rules.size === 0) continue;
    files[file] = Object.fromEntries(
      [...rules.keys()].sort().map((code) => {
        const { count, fingerprints } = rules.get(code)!;
        return [code, { count, fingerprints: [...fingerprints].sort() }];
      }),
    );
  }
  return `${JSON.stringify({ version: SUPPRESSIONS_VERSION, files }, null, 2)}\n`;
}

/** A finding with its fingerprint, computed from the text of its file. */
export interface FingerprintedHazard {
  hazard: Hazard;
  fingerprint: string;
}

export function fingerprintHazards(hazards: readonly Hazard[], text: string): FingerprintedHazard[] {
  const lines = text.split(/\r?\n|\r/);
  return hazards.map((hazard) => ({ hazard, fingerprint: findingFingerprint(hazard.code, flaggedText(lines, hazard.range)) }));
}

export interface SuppressionSplit {
  reported: Hazard[];
  suppressed: Hazard[];
  /** Suppressed findings that no longer occur (the count is above what was found). */
  unused: number;
}

/** Splits one file's findings into those its suppressions cover and those beyond them. */
export function splitBySuppressions(findings: readonly FingerprintedHazard[], suppressions: ReadonlyMap<string, RuleSuppression> | undefined): SuppressionSplit {
  const split: SuppressionSplit = { reported: [], suppressed: [], unused: 0 };
  const byRule = new Map<string, FingerprintedHazard[]>();
  for (const finding of findings) byRule.set(finding.hazard.code, [...(byRule.get(finding.hazard.code) ?? []), finding]);
  for (const [code, entry] of suppressions ?? []) split.unused += Math.max(0, entry.count - (byRule.get(code)?.length ?? 0));
  for (const [code, ruleFindings] of byRule) {
    const entry = suppressions?.get(code);
    if (!entry || entry.count === 0) {
      split.reported.push(...ruleFindings.map((finding) => finding.hazard));
      continue;
    }
    if (ruleFindings.length <= entry.count) {
      split.suppressed.push(...ruleFindings.map((finding) => finding.hazard));
      continue;
    }
    // More than were suppressed: those whose fingerprints were not recorded are new.
    const recorded = new Map<string, number>();
    for (const fingerprint of entry.fingerprints) recorded.set(fingerprint, (recorded.get(fingerprint) ?? 0) + 1);
    const known: Hazard[] = [];
    const unknown: Hazard[] = [];
    for (const { hazard, fingerprint } of ruleFindings) {
      const left = recorded.get(fingerprint) ?? 0;
      if (left > 0) {
        recorded.set(fingerprint, left - 1);
        known.push(hazard);
      } else {
        unknown.push(hazard);
      }
    }
    // At least as many as the count is exceeded by are reported, even where fingerprints say otherwise.
    const excess = ruleFindings.length - entry.count;
    const alsoReported = known.splice(Math.max(0, known.length - Math.max(0, excess - unknown.length)));
    split.reported.push(...unknown, ...alsoReported);
    split.suppressed.push(...known);
  }
  return split;
}

/** What an editor's analysis of one file needs of the suppressions file: the file's entry, and how to show what it records. */
export interface FileSuppressions {
  recorded: ReadonlyMap<string, RuleSuppression>;
  /** Show recorded findings as hints that say where they are recorded, instead of leaving them out. */
  asHints: boolean;
}

/** A file's findings as an editor shows them: those its entry records left out, or turned into hints. */
export function withFileSuppressions(hazards: Hazard[], text: string, suppressions: FileSuppressions | undefined): Hazard[] {
  if (!suppressions || hazards.length === 0) return hazards;
  const { reported, suppressed } = splitBySuppressions(fingerprintHazards(hazards, text), suppressions.recorded);
  if (!suppressions.asHints || suppressed.length === 0) return reported;
  const hints = suppressed.map((hazard): Hazard => ({ ...hazard, severity: 'hint', message: `${hazard.message} (recorded in ${SUPPRESSIONS_FILE_NAME})` }));
  return [...reported, ...hints].sort(compareHazards);
}

/** One file's current findings as suppressions. */
export function suppressionsOf(findings: readonly FingerprintedHazard[]): Map<string, RuleSuppression> {
  const byRule = new Map<string, RuleSuppression>();
  for (const { hazard, fingerprint } of findings) {
    const entry = byRule.get(hazard.code) ?? { count: 0, fingerprints: [] };
    entry.count++;
    entry.fingerprints.push(fingerprint);
    byRule.set(hazard.code, entry);
  }
  return byRule;
}

/**
 * What is still suppressed once fixed findings are dropped: each count lowered to what was found,
 * fingerprints to those that still occur. Never raises a count.
 */
export function prunedSuppressions(entry: ReadonlyMap<string, RuleSuppression>, findings: readonly FingerprintedHazard[]): Map<string, RuleSuppression> {
  const current = suppressionsOf(findings);
  const pruned = new Map<string, RuleSuppression>();
  for (const [code, { count, fingerprints }] of entry) {
    const now = current.get(code);
    if (!now) continue;
    const left = new Map<string, number>();
    for (const fingerprint of now.fingerprints) left.set(fingerprint, (left.get(fingerprint) ?? 0) + 1);
    const kept = fingerprints.filter((fingerprint) => {
      const remaining = left.get(fingerprint) ?? 0;
      if (remaining === 0) return false;
      left.set(fingerprint, remaining - 1);
      return true;
    });
    pruned.set(code, { count: Math.min(count, now.count), fingerprints: kept.slice(0, Math.min(count, now.count)) });
  }
  return pruned;
}

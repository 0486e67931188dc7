import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scoreCorpus, type Score } from './score';

// Every corpus was written blind to the implementation (see the README.md files), each in one
// language. Each rule is held to what it finds there, on its own, so one rule's losses cannot
// hide behind another's gains; no labelled non-hazard may be reported by the rule it imitates;
// and the findings on lines no label mentions — likely false positives — are counted and capped
// at what they are today. The real-code evaluation (test/evaluation/real, `npm run eval:real`)
// is the yardstick; these corpora keep the figures they reached.

/** Per rule: hazards found of those labelled, and the most findings allowed on unlabelled lines. */
type Expected = Record<string, { found: number; labelled: number; unlabelled: number }>;

function assertScores(scores: ReadonlyMap<string, Score>, expected: Expected, knownFalsePositives: RegExp[] = []): void {
  for (const [code, wanted] of Object.entries(expected)) {
    const score = scores.get(code)!;
    assert.equal(score.labelled, wanted.labelled, `${code}: labels`);
    assert.ok(score.found >= wanted.found, `${code}: ${score.found}/${score.labelled} found, at least ${wanted.found} expected; missed:\n${score.missed.join('\n')}`);
    assert.ok(score.unlabelled.length <= wanted.unlabelled, `${code}: ${score.unlabelled.length} findings on unlabelled lines, at most ${wanted.unlabelled}:\n${score.unlabelled.join('\n')}`);
    const falsePositives = score.falsePositives.filter((finding) => !knownFalsePositives.some((known) => known.test(finding)));
    assert.deepEqual(falsePositives, [], `${code} reports labelled non-hazards`);
  }
}

describe('blind evaluation corpora, rule by rule', () => {
  it('python/ (the tuning corpus; first run 102/116): every race hazard, nothing else', async () => {
    const expected: Expected = {
      IL101: { found: 23, labelled: 23, unlabelled: 0 },
      IL102: { found: 12, labelled: 12, unlabelled: 0 },
      IL103: { found: 69, labelled: 69, unlabelled: 2 },
      IL104: { found: 12, labelled: 12, unlabelled: 0 },
    };
    assertScores(await scoreCorpus('python', Object.keys(expected)), expected);
  });

  it('holdout/python/ (never tuned on; first run 168/170)', async () => {
    const expected: Expected = {
      IL101: { found: 13, labelled: 13, unlabelled: 0 },
      IL102: { found: 7, labelled: 7, unlabelled: 0 },
      // One more unlabelled since route registrations by call (Starlette's Route) put more handlers in view.
      IL103: { found: 34, labelled: 34, unlabelled: 5 },
      IL104: { found: 7, labelled: 7, unlabelled: 0 },
      IL201: { found: 19, labelled: 19, unlabelled: 0 },
      IL202: { found: 18, labelled: 18, unlabelled: 0 },
      IL203: { found: 8, labelled: 8, unlabelled: 0 },
      // Two short `with threading_lock:` blocks that hold no await: silent on purpose (README.md).
      IL204: { found: 4, labelled: 6, unlabelled: 0 },
      // Five of these labels are clients opened at import: IL301's preview part since real code judged
      // them of little value (docs/evaluation.md); with `preview = true` all ten are found.
      IL301: { found: 5, labelled: 10, unlabelled: 0 },
      IL302: { found: 9, labelled: 9, unlabelled: 2 },
      IL303: { found: 7, labelled: 7, unlabelled: 0 },
      IL401: { found: 7, labelled: 7, unlabelled: 0 },
      IL402: { found: 6, labelled: 6, unlabelled: 0 },
      IL403: { found: 7, labelled: 7, unlabelled: 0 },
      IL404: { found: 6, labelled: 6, unlabelled: 0 },
      IL405: { found: 6, labelled: 6, unlabelled: 0 },
    };
    assertScores(await scoreCorpus('holdout/python', Object.keys(expected)), expected);
  });

  it('boundary/ (four projects checked one by one; first run 32/38)', async () => {
    const expected: Expected = {
      IL105: { found: 16, labelled: 16, unlabelled: 0 },
      // IL406 reports by default only collections the client sends; fan-outs over query results (3 of
      // these labels) are preview since real code showed them mostly bounded elsewhere (docs/evaluation.md).
      IL406: { found: 5, labelled: 10, unlabelled: 1 },
      IL601: { found: 5, labelled: 6, unlabelled: 0 },
      IL602: { found: 6, labelled: 6, unlabelled: 0 },
    };
    assertScores(await scoreCorpus('boundary', Object.keys(expected)), expected);
  });

  it('typescript/ (first run 72/81)', async () => {
    const expected: Expected = {
      IL101: { found: 22, labelled: 22, unlabelled: 0 },
      // Every Node module of the corpus counts under the PM2 config's instances (README.md).
      IL103: { found: 4, labelled: 4, unlabelled: 55 },
      IL104: { found: 7, labelled: 7, unlabelled: 2 },
      IL201: { found: 21, labelled: 21, unlabelled: 0 },
      // The corpus labels no IL203: its author filed the CPU-heavy sync calls (`bcrypt.compareSync`,
      // `crypto.pbkdf2Sync`, `zlib.gzipSync`) under IL201, which since reports only calls that wait
      // on something outside the process; IL203 reports these, and answers those labels.
      IL203: { found: 0, labelled: 0, unlabelled: 0 },
      IL302: { found: 6, labelled: 6, unlabelled: 0 },
      IL403: { found: 13, labelled: 13, unlabelled: 0 },
      // The one missed fans out over a fetched sitemap: not a collection the client sends (preview).
      IL406: { found: 7, labelled: 8, unlabelled: 0 },
    };
    // A conditional request's fresh response, written back after the await, still counts as computed
    // from the entry read before it (its etag went into the request): see typescript/README.md.
    assertScores(await scoreCorpus('typescript', Object.keys(expected), { IL201: ['IL203'] }), expected, [/^src\/koa\/proxy-cache\.mjs:57 IL101 /]);
  });
});

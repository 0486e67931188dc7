import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../rules';
import { DEFAULT_EDITOR_SETTINGS, parseEditorSettings } from './editor-settings';

const metas = RULES.map((rule) => rule.meta);

describe('editor settings', () => {
  test('take what VS Code sends, with empty lists meaning "not set"', () => {
    const { settings, problems } = parseEditorSettings(
      {
        enable: true,
        select: [],
        ignore: ['IL101', 'await-check-then-act'],
        severity: { IL103: 'error' },
        run: 'onSave',
        suppressedFindings: 'hint',
        workers: null,
        exclude: ['gen/**'],
        trace: { server: 'verbose' },
        contextLens: 'all',
      },
      metas,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      enable: true,
      run: 'onSave',
      suppressedFindings: 'hint',
      trace: 'verbose',
      contextLens: 'all',
      overrides: { ignore: ['IL101', 'await-check-then-act'], severity: { IL103: 'error' }, extendExclude: ['gen/**'] },
    });
  });

  test('drop bad values with a problem naming the setting, and keep the rest', () => {
    const { settings, problems } = parseEditorSettings({ select: ['IL999', 'IL1'], severity: { IL101: 'loud', nope: 'error' }, workers: 0, run: 'sometimes', contextLens: 'some' }, metas);
    assert.deepEqual(settings.overrides, { select: ['IL1'] });
    assert.equal(settings.run, 'onType');
    assert.equal(settings.contextLens, 'handlers');
    assert.equal(problems.length, 6);
    assert.match(problems.join('\n'), /interleave\.contextLens/);
    assert.match(problems.join('\n'), /IL999.*interleave\.select/);
    assert.match(problems.join('\n'), /interleave\.workers/);
  });

  test('fall back to the defaults for nothing or nonsense', () => {
    assert.deepEqual(parseEditorSettings(undefined, metas), { settings: DEFAULT_EDITOR_SETTINGS, problems: [] });
    assert.equal(parseEditorSettings('on', metas).problems.length, 1);
  });
});

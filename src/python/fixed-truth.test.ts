import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzePython, loadPythonParser } from './frontend';

function constantKeys(source: string): Record<string, string[]> | undefined {
  return analyzePython(source, '/project/app/tables.py', 'app.tables').facts.constantKeys;
}

describe('the keys of a module’s constant tables', () => {
  before(loadPythonParser);

  it('lists the string keys of a table bound once to a dict literal', () => {
    assert.deepEqual(constantKeys('PROMPTS = {\n    "chat": CHAT,\n    \'summary\': "Summarise",  # short\n}\n\ndef get(k):\n    return PROMPTS[k]\n'), { PROMPTS: ['chat', 'summary'] });
  });

  it('keeps a table that only gains keys', () => {
    assert.deepEqual(constantKeys('PROMPTS = {"chat": 1}\nPROMPTS["extra"] = 2\nPROMPTS.update(other=3)\n'), { PROMPTS: ['chat'] });
  });

  it('drops a table that is rebound, loses keys or has keys that are not fixed strings', () => {
    const sources = [
      'PROMPTS = {"chat": 1}\nPROMPTS = load()\n',
      'PROMPTS = {"chat": 1}\ndel PROMPTS["chat"]\n',
      'PROMPTS = {"chat": 1}\ndef reset():\n    PROMPTS.clear()\n',
      'PROMPTS = {"chat": 1}\nPROMPTS.pop("chat")\n',
      'PROMPTS = {"chat": 1}\ndef reset():\n    global PROMPTS\n    PROMPTS = {}\n',
      'PROMPTS = {f"{NAME}": 1}\n',
      'PROMPTS = {"chat": 1, **EXTRA}\n',
      'PROMPTS = {KEY: 1}\n',
      'for PROMPTS in tables:\n    pass\nPROMPTS = {"chat": 1}\n',
    ];
    for (const source of sources) assert.equal(constantKeys(source), undefined, source);
  });
});

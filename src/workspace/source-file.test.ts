import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeProject } from '../../test/support/cli';
import { DEFAULT_MAX_FILE_SIZE, parseByteSize, readSourceFile } from './source-file';

describe('readSourceFile', () => {
  const root = makeProject({
    'plain.py': 'x = 1\n',
    'bom.py': '\uFEFFx = "é"\n',
    'empty.py': '',
    'nul.py': Buffer.from('x = 1\n\0\0\0binary'),
    'latin1.py': Buffer.from('name = "caf\xe9"\n', 'latin1'),
    'big.py': 'x = 1\n'.repeat(Math.ceil((DEFAULT_MAX_FILE_SIZE + 1) / 6)),
  });

  test('reads UTF-8 text as it is', () => {
    assert.deepEqual(readSourceFile(join(root, 'plain.py')), { kind: 'text', text: 'x = 1\n' });
  });

  test('drops a UTF-8 byte order mark so positions match the editor', () => {
    assert.deepEqual(readSourceFile(join(root, 'bom.py')), { kind: 'text', text: 'x = "é"\n' });
  });

  test('reads an empty file as empty text', () => {
    assert.deepEqual(readSourceFile(join(root, 'empty.py')), { kind: 'text', text: '' });
  });

  test('skips a file with a NUL byte as binary', () => {
    const read = readSourceFile(join(root, 'nul.py'));
    assert.equal(read.kind, 'skipped');
    assert.match(read.kind === 'skipped' ? read.reason : '', /binary/);
  });

  test('cannot read Latin-1 bytes, as not UTF-8, instead of guessing', () => {
    const read = readSourceFile(join(root, 'latin1.py'));
    assert.equal(read.kind, 'unreadable');
    assert.match(read.kind === 'unreadable' ? read.reason : '', /not valid UTF-8/);
  });

  test('skips a file over the size limit and names the limit', () => {
    const read = readSourceFile(join(root, 'big.py'));
    assert.equal(read.kind, 'skipped');
    assert.match(read.kind === 'skipped' ? read.reason : '', /larger than the 2 MiB limit/);
  });

  test('a raised limit lets the large file through', () => {
    assert.equal(readSourceFile(join(root, 'big.py'), 4 * 1024 * 1024).kind, 'text');
  });
});

describe('parseByteSize', () => {
  test('reads plain bytes and binary K/M units', () => {
    assert.equal(parseByteSize('2000000'), 2_000_000);
    assert.equal(parseByteSize('512K'), 512 * 1024);
    assert.equal(parseByteSize('4MB'), 4 * 1024 * 1024);
    assert.equal(parseByteSize('1.5 MiB'), 1.5 * 1024 * 1024);
  });

  test('rejects what is not a size', () => {
    assert.equal(parseByteSize('lots'), undefined);
    assert.equal(parseByteSize('-1'), undefined);
    assert.equal(parseByteSize('2GB'), undefined);
  });
});

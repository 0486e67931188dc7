import { CallMatcher } from './call-pattern';
import type { CallEvent, FunctionFacts } from './facts';
import { FileSources } from './file-sources';

/** Constructors of file objects that live in memory: reading and writing them does no I/O. */
const IN_MEMORY_FILES = new Set(['io.BytesIO', 'io.StringIO']);

/** Calls that wrap the file object they are given in another one: over memory, what they make is in memory too. */
const FILE_WRAPPERS = new CallMatcher([
  {
    calls: [
      'zipfile.ZipFile',
      'zipfile.ZipFile().open',
      '{tarfile.open,tarfile.TarFile,tarfile.TarFile.open}',
      '{tarfile.open,tarfile.TarFile,tarfile.TarFile.open}().extractfile',
      '{gzip.open,gzip.GzipFile,bz2.open,bz2.BZ2File,lzma.open,lzma.LZMAFile}',
      '{io.TextIOWrapper,io.BufferedReader,io.BufferedWriter}',
    ],
  },
]);

/**
 * Whether a call works on an in-memory file: one of its inputs — the file it is given, or the
 * object it is called on — is an `io.BytesIO`/`io.StringIO` made in the same function, directly
 * (`json.load(io.StringIO(text))`), through a local (`buffer = io.BytesIO()`), or through a file
 * opened over one (`zf.read(name)` where `zf = zipfile.ZipFile(io.BytesIO(data))`). Values made
 * from a buffer's contents (`buffer.getvalue()`) are not files and are not followed.
 */
export function overInMemoryFile(fn: FunctionFacts, call: CallEvent): boolean {
  let files = memoryFilesByFunction.get(fn);
  if (!files) memoryFilesByFunction.set(fn, (files = new MemoryFiles(FileSources.of(fn))));
  return files.sources.sourcesOf(call).some((source) => files.isMemoryFile(source));
}

/** Which of a function's calls make in-memory files, asked once per function. */
const memoryFilesByFunction = new WeakMap<FunctionFacts, MemoryFiles>();

class MemoryFiles {
  private readonly known = new Map<number, boolean>();

  constructor(readonly sources: FileSources) {}

  isMemoryFile(event: CallEvent): boolean {
    if (event.callee && IN_MEMORY_FILES.has(event.callee)) return true;
    if (!FILE_WRAPPERS.match(event.callee)) return false;
    const known = this.known.get(event.id);
    if (known !== undefined) return known;
    // Provisionally not, so that a cycle through locals ends.
    this.known.set(event.id, false);
    const result = this.sources.sourcesOf(event).some((source) => this.isMemoryFile(source));
    this.known.set(event.id, result);
    return result;
  }
}

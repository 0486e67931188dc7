import type { CatalogEntry } from '../../core/call-pattern';

/**
 * Calls that keep the CPU busy for a noticeable time — tens of milliseconds to seconds — by
 * design or by the size of what they work on: password hashing and key derivation, compression of
 * data that arrives at runtime, image processing, document rendering and parsing, key generation,
 * loading and running machine-learning models. On the event loop nothing else runs meanwhile.
 * IL203 reports them in coroutines; IL202 follows sync helpers to them.
 *
 * Cheap hashing (`hashlib.sha256`, `hmac.compare_digest`), salt generation (`bcrypt.gensalt`),
 * rehash checks and compression of a literal are left alone, and so is data-frame work (`pandas`),
 * whose cost depends on a size the code does not show.
 */

const IN_A_THREAD = 'move it to a worker thread: these libraries release the GIL, so other requests keep running';

const PIL_IMAGES = 'PIL.Image.open,PIL.Image.new,PIL.Image.frombytes,PIL.Image.frombuffer,PIL.Image.fromarray,PIL.Image.Image';

/** Key-derivation rounds below which the work is cheap. */
const CHEAP_ROUNDS = 10_000;

const PASSWORD_HASHING = 'hash,verify,verify_and_update,encrypt,dummy_verify';

export const CPU_BOUND_CALLS: readonly CatalogEntry[] = [
  {
    calls: [
      `{passlib.context.CryptContext,passlib.context.CryptContext().copy,passlib.apps.custom_app_context}().{${PASSWORD_HASHING}}`,
      `passlib.apps.custom_app_context.{${PASSWORD_HASHING}}`,
      `passlib.hash.*.{${PASSWORD_HASHING}}`,
      `passlib.hash.*.using().{${PASSWORD_HASHING}}`,
      'bcrypt.{hashpw,checkpw,kdf}',
      'argon2.{PasswordHasher,PasswordHasher.from_parameters}().{hash,verify}',
      'argon2.low_level.{hash_secret,hash_secret_raw,verify_secret}',
      'argon2.{hash_password,hash_password_raw,verify_password}',
      `{pwdlib.PasswordHash,pwdlib.PasswordHash.recommended}().{${PASSWORD_HASHING}}`,
      'werkzeug.security.{generate_password_hash,check_password_hash}',
      'django.contrib.auth.hashers.{make_password,check_password}',
    ],
    does: 'hashes or checks a password, which is deliberately slow',
    suggestion: IN_A_THREAD,
  },
  {
    // A few thousand rounds take a millisecond or two: derivation made cheap on purpose.
    calls: ['hashlib.pbkdf2_hmac'],
    unlessLiteral: [{ position: 3, keyword: 'iterations', below: CHEAP_ROUNDS }],
    does: 'derives a key with many rounds of hashing, which is deliberately slow',
    suggestion: IN_A_THREAD,
  },
  {
    calls: [
      'hashlib.scrypt',
      'scrypt.hash',
      'cryptography.hazmat.primitives.kdf.{pbkdf2.PBKDF2HMAC,scrypt.Scrypt,argon2.Argon2id}().{derive,verify}',
      'cryptography.hazmat.primitives.asymmetric.{rsa,dsa}.generate_private_key',
      'cryptography.hazmat.primitives.asymmetric.dh.generate_parameters',
    ],
    does: 'derives or generates a key, which is deliberately slow',
    suggestion: IN_A_THREAD,
  },
  {
    calls: [
      '{zlib,gzip,bz2,lzma,brotli}.{compress,decompress}',
      'lz4.frame.{compress,decompress}',
      'zstandard.{ZstdCompressor,ZstdDecompressor}().{compress,decompress}',
      'zstandard.{compress,decompress}',
    ],
    unlessLiteral: [{ position: 0, keyword: 'data' }],
    does: 'compresses or decompresses data',
    suggestion: 'move it to a worker thread: zlib, bz2 and lzma release the GIL',
  },
  {
    calls: [
      `{${PIL_IMAGES}}()**.{resize,thumbnail,rotate,convert,filter,transform,transpose,quantize,reduce,save,paste,point,effect_spread,load,tobytes,crop,copy}`,
      'PIL.Image.{composite,alpha_composite,blend,merge}',
      'PIL.ImageOps.{fit,contain,cover,pad,exif_transpose,grayscale,autocontrast,equalize,posterize,solarize}',
    ],
    does: 'processes an image',
    suggestion: 'move it to a worker thread (Pillow releases the GIL while it works) or, for large images, a process pool',
  },
  {
    calls: [
      'weasyprint.HTML().{write_pdf,render}',
      'xhtml2pdf.pisa.CreatePDF',
      'pdfkit.{from_string,from_url,from_file}',
      'reportlab.platypus.{SimpleDocTemplate,BaseDocTemplate}().build',
      'fpdf.{FPDF,fpdf.FPDF}().output',
      '{pypdf,PyPDF2}.PdfReader',
      '{pypdf,PyPDF2}.{PdfWriter,PdfMerger}().{write,append,merge}',
      '{fitz,pymupdf}.open',
      'docx.Document',
      'docx.Document().save',
      'openpyxl.load_workbook',
      'openpyxl.Workbook().save',
    ],
    does: 'renders or parses a document (PDF, Word, spreadsheet)',
    suggestion: 'move it to a worker thread, or for large documents a process pool or a task queue',
  },
  {
    calls: [
      '{sentence_transformers.SentenceTransformer,sentence_transformers.CrossEncoder}().{encode,predict,rank}',
      'transformers.*.from_pretrained().{generate,encode,decode,batch_decode}',
      'sklearn.**().{fit,fit_transform,predict,predict_proba,transform,score}',
      'spacy.load().pipe',
      '{whisper.load_model,faster_whisper.WhisperModel}().transcribe',
    ],
    // Loading a model is slow too, but code that loads one per request is rare and code that
    // loads one on first use and keeps it is common: loading is left to the user's own list.
    does: 'runs a machine-learning model',
    suggestion: 'run inference in a worker thread (or a process pool, or a separate inference service)',
  },
];

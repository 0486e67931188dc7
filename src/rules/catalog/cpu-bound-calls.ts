import type { CatalogEntry } from '../../core/call-pattern';

/**
 * Calls that keep the CPU busy for a noticeable time — tens to hundreds of milliseconds — by
 * design: password hashing and key derivation, compression of data that arrives at runtime, image
 * processing, key generation. On the event loop nothing else runs meanwhile. IL203 reports them in
 * coroutines.
 *
 * Cheap hashing (`hashlib.sha256`, `hmac.compare_digest`), salt generation (`bcrypt.gensalt`),
 * rehash checks and compression of a literal are left alone.
 */

const IN_A_THREAD =
  'move it to a thread — `await asyncio.to_thread(...)`; these libraries release the GIL, so other requests keep running';

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
    calls: [
      'hashlib.{pbkdf2_hmac,scrypt}',
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
    suggestion: 'move it to a thread — `await asyncio.to_thread(zlib.compress, data)`; zlib, bz2 and lzma release the GIL',
  },
  {
    calls: [
      '{PIL.Image.open,PIL.Image.new,PIL.Image.frombytes,PIL.Image.frombuffer,PIL.Image.fromarray,PIL.Image.Image}()**.{resize,thumbnail,rotate,convert,filter,transform,transpose,quantize,reduce,save,paste,point,effect_spread}',
      'PIL.ImageOps.{fit,contain,cover,pad,exif_transpose,grayscale,autocontrast,equalize,posterize,solarize}',
      'weasyprint.HTML().write_pdf',
    ],
    does: 'processes an image or document',
    suggestion: 'move it to a thread (`await asyncio.to_thread(...)`) or, for large images, a process pool',
  },
];

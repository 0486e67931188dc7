/**
 * Type-stub packages name the classes of libraries that make them at run time: `mypy_boto3_s3`'s
 * `S3Client` (imported under `if TYPE_CHECKING:`) is what `boto3.client("s3")` returns.
 */
export function stubbedClass(name: string | undefined): string | undefined {
  return name && /^mypy_boto3_\w+(\.client)?\.\w+Client$/.test(name) ? 'boto3.client' : name;
}

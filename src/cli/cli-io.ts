/** Where the CLI writes; `process.stdout`/`stderr` in the bin, string buffers in tests. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything `main` touches of its process, so tests can run it in-process. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Ends long-running commands (`check --watch`); the bin aborts it on Ctrl+C. */
  signal?: AbortSignal;
}

/** Exit statuses, as Ruff uses them. */
export const ExitStatus = {
  clean: 0,
  hazards: 1,
  usage: 2,
} as const;

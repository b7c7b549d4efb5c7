/** Shared shapes of the codemod engine: per-file outcomes, edits, problems. */

export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'failed';

/** Something a transform wants a human to see; never fatal on its own. */
export interface Problem {
  /** Stable machine code, e.g. "unmapped-name", "missing-export", "needs-review". */
  code: string;
  message: string;
  line: number;
  column: number;
}

export interface FileReport {
  /** Repo-relative posix path. */
  file: string;
  status: FileStatus;
  /** Why a file was skipped. */
  reason?: string;
  /** Why a file failed (parse error position is 1-based). */
  error?: { line: number; column: number; message: string };
  problems: Problem[];
}

/** A replacement of original[start, end) by text; offsets index the original source string. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

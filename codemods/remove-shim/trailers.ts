/** remove-shim's commit trailer keys, apart from the phase (index.ts) so reading them loads nothing else. */
export const REMOVE_SHIM_TRAILERS = {
  /** The evidence the gate opened on: ids, window, runs, source. */
  telemetry: 'SSOT-Telemetry',
  /** Per id: its verdict and coverage ("WSM001 unused 100.0% by 2 run(s); …"). */
  verdicts: 'SSOT-Telemetry-Verdicts',
  /** The reason a person gave for deleting without telemetry. */
  withoutTelemetry: 'SSOT-Without-Telemetry',
  /** The manifest's `deletions` deleted with the shim (files, and `path#declaration`), each with its reason. */
  deletions: 'SSOT-Deletions',
  /** Legacy names and modules still named in comments after this commit, file:line each (manifest `comments`). */
  legacyMentions: 'SSOT-Legacy-Mentions',
  /** Members of split classes removed with the legacy code that still called them (`Class.member`, comma-separated). */
  splitMembers: 'SSOT-Split-Members',
  /** With `comments.legacyMentions: "rewrite"`: every comment edit, file:line each. */
  commentEdits: 'SSOT-Comment-Edits',
} as const;

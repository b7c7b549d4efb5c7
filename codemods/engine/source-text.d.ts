// Types for source-text.js (plain JS: the read-ahead thread runs it with no loader; see there).
export type SourceText = { text: string } | { missing: true } | { skipped: string };
export declare function readSourceText(path: string): SourceText;

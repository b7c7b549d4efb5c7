// Types for source-text.js (plain JS: the read-ahead thread runs it with no loader; see there).
export type SourceText = { text: string } | { missing: true } | { skipped: string };
/** A read text that passed no prefilter token (readCandidate): not handed on. */
export type CandidateText = SourceText | { filtered: true };
export declare function readSourceText(path: string): SourceText;
export declare function containsAny(text: string, tokens: readonly string[]): boolean;
export declare function readCandidate(path: string, tokens: readonly string[] | undefined): CandidateText;

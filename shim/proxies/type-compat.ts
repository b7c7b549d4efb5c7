/**
 * Type helpers the facades' declarations use in place of lib types newer than TypeScript 4.4
 * (`NoInfer`: 5.4, `Awaited`: 4.5). The repo's own TypeScript reads these declarations when it
 * checks a strangled facade; with 4.4 the lib names were "Cannot find name" errors (TS2304) that
 * failed strangle's verification (test/package/declaration-syntax.test.ts refuses them).
 */

/** `T`, in a position inference does not read (as `NoInfer<T>`): the indexed access defers it. */
export type NoInference<T> = [T][T extends unknown ? 0 : never];

/** What awaiting a `T` gives (as `Awaited<T>` for promises and plain values). */
export type Settled<T> = T extends PromiseLike<infer U> ? Settled<U> : T;

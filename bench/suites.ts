/** The bench suites, in the order they run. Each part adds its suite here as it lands. */
import type { BenchSuite } from './harness.js';
import { canonicalSuite } from './canonical.js';
import { redisBusSuite } from './redis-bus.js';
import { codemodsSuite } from './codemods.js';
import { shimSuite } from './shim.js';
import { scaleRequested, scaleSuite } from './scale.js';

// scale runs every phase on 5,000- and 10,000-file repos (tens of minutes): only when asked for
export const suites: BenchSuite[] = [canonicalSuite, redisBusSuite, codemodsSuite, shimSuite, ...(scaleRequested() ? [scaleSuite] : [])];

/** Every suite's name in table order, including those behind a flag (the README table sorts by it). */
export const allSuiteNames: readonly string[] = [canonicalSuite, redisBusSuite, codemodsSuite, shimSuite, scaleSuite].map((s) => s.name);

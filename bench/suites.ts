/** The bench suites, in the order they run. Each part adds its suite here as it lands. */
import type { BenchSuite } from './harness.js';
import { canonicalSuite } from './canonical.js';
import { redisBusSuite } from './redis-bus.js';
import { codemodsSuite } from './codemods.js';
import { shimSuite } from './shim.js';

export const suites: BenchSuite[] = [canonicalSuite, redisBusSuite, codemodsSuite, shimSuite];

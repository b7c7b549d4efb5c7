/** The bench suites, in the order they run. Each part adds its suite here as it lands. */
import type { BenchSuite } from './harness.js';
import { canonicalSuite } from './canonical.js';
import { redisBusSuite } from './redis-bus.js';

export const suites: BenchSuite[] = [canonicalSuite, redisBusSuite];

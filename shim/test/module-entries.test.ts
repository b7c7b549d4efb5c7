import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeprecatedApiError, ShimConfigError } from '../errors.js';
import { createShimRuntime } from '../runtime.js';
import type { ShimRuntime } from '../runtime.js';
import { defineLegacyEnum, defineLegacyFunction, enterLegacyModule } from '../proxies/module.js';
import { defineLegacyManagerAlias } from '../proxies/manager.js';

let runtime: ShimRuntime;
let warned: string[];
beforeEach(() => {
  warned = [];
  runtime = createShimRuntime({ emitWarning: (_m, o) => warned.push(o.code) });
});
afterEach(() => runtime.close());

const spec = { id: 'WSM005', symbol: 'websocket_core/manager', replacement: "imports from 'ssot-migrate/canonical'" };

describe('module-level entries', () => {
  it('a compat module import is counted, warned and refused in strict mode', () => {
    expect(enterLegacyModule(spec, { runtime })).toBe('canonical');
    expect(warned).toEqual(['WSM005']);
    expect(runtime.telemetry.snapshot()[0]).toMatchObject({ id: 'WSM005', count: 1, site: undefined });
    runtime.modes.set('WSM005', 'strict');
    expect(() => enterLegacyModule(spec, { runtime })).toThrow(DeprecatedApiError);
  });

  it('a duplicate enum becomes the canonical one only when compatible', () => {
    enum Frozen { A = 'a', B = 'b' }
    const canonical = { A: 'a', B: 'b', C: 'c' };
    expect(defineLegacyEnum({ ...spec, id: 'WSM002' }, Frozen, canonical, { runtime })).toBe(canonical);
    expect(defineLegacyEnum({ ...spec, id: 'WSM002' }, Frozen, { A: 'a', B: 'x' }, { runtime })).toBe(Frozen);
    runtime.modes.set('WSM002', 'legacy');
    expect(defineLegacyEnum({ ...spec, id: 'WSM002' }, Frozen, canonical, { runtime })).toBe(Frozen);
  });

  it('a plain legacy function is served by the frozen one and counted per call site', () => {
    const f = defineLegacyFunction({ ...spec, id: 'WSM003', symbol: 'getWebSocketManagerFactory' }, (x: number) => x * 2, { runtime });
    expect(f(2)).toBe(4);
    expect(f(3)).toBe(6);
    for (let i = 0; i < 3; i++) f(i);
    expect(f.name).toBe('getWebSocketManagerFactory');
    const recs = runtime.telemetry.snapshot().filter((r) => r.id === 'WSM003');
    expect(recs.map((r) => r.count)).toEqual([1, 1, 3]);
    expect(new Set(recs.map((r) => r.site?.line)).size).toBe(3);
  });

  it('bad specs are refused with a clear error', () => {
    expect(() => defineLegacyManagerAlias({ id: '', symbol: 'X', replacement: 'y' }, class {})).toThrow(ShimConfigError);
    expect(() => defineLegacyManagerAlias({ id: 'WSM001', symbol: 'X', replacement: '' }, class {})).toThrow(/replacement/);
  });
});

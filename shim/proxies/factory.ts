/**
 * A legacy factory class (manifest role `factory-class`): its statics and instance methods that
 * hand out managers are routed like a manager function; in canonical mode every call returns a
 * per-user isolated manager (the legacy factory shared one instance and rebound its context).
 */
import { enter, validateSpec } from './entry.js';
import type { LegacyEntrySpec } from './entry.js';
import { defineLegacyManagerFunction, finishAlias, hasTable, legacyByDefault, route } from './manager.js';
import type { ManagerFunctionOptions } from './manager.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCtor = abstract new (...args: any[]) => object;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface FactoryClassOptions extends ManagerFunctionOptions<any> {
  /** Static methods returning a manager, with the index of their context argument. */
  statics?: Record<string, { contextArg?: number }>;
  /** Instance methods returning a manager (or a Promise of one). */
  methods?: Record<string, { contextArg?: number }>;
  /** Static methods returning a factory instance (e.g. getFactory): the instance gets `methods` routed. */
  factoryStatics?: string[];
}

export function defineLegacyFactoryClass<C extends AnyCtor>(spec: LegacyEntrySpec, frozen: C, factoryOptions: FactoryClassOptions = {}): C {
  validateSpec(spec, 'defineLegacyFactoryClass', factoryOptions);
  // Without the manager's table (and class), canonical mode cannot build a manager: legacy by default.
  const options = legacyByDefault(factoryOptions, hasTable(factoryOptions));
  const className = spec.symbol;
  const adopted = new WeakSet<object>();
  const frozenStatics = frozen as unknown as Record<string, AnyFn>;

  const adopt = <T extends object>(instance: T): T => {
    if (adopted.has(instance)) return instance;
    adopted.add(instance);
    for (const [name, { contextArg = 0 } = {}] of Object.entries(options.methods ?? {})) {
      const original = (instance as Record<string, unknown>)[name];
      if (typeof original !== 'function') continue;
      const methodSpec = { ...spec, symbol: `${className}#${name}` };
      const routed = function (this: unknown, ...args: unknown[]): unknown {
        const entry = enter(methodSpec, options, routed);
        return route(entry, methodSpec, options, args[contextArg], () => original.apply(instance, args));
      };
      Object.defineProperty(instance, name, { value: routed, writable: true, configurable: true, enumerable: false });
    }
    return instance;
  };

  const Alias = function (this: unknown, ...args: unknown[]): object {
    if (!new.target) throw new TypeError(`Class constructor ${className} cannot be invoked without 'new'`);
    enter(spec, options, Alias);
    return adopt(Reflect.construct(frozen as unknown as AnyFn, args, new.target === Alias ? (frozen as unknown as AnyFn) : new.target) as object);
  } as unknown as C & AnyFn;
  finishAlias(Alias, frozen, className, (v) => adopted.has(v));

  const statics = Alias as unknown as Record<string, unknown>;
  for (const [name, { contextArg = 0 } = {}] of Object.entries(options.statics ?? {})) {
    const original = frozenStatics[name];
    if (typeof original !== 'function') continue;
    statics[name] = defineLegacyManagerFunction({ ...spec, symbol: `${className}.${name}` }, original.bind(frozen), { ...options, contextArg });
  }
  for (const name of options.factoryStatics ?? []) {
    const original = frozenStatics[name];
    if (typeof original !== 'function') continue;
    const factorySpec = { ...spec, symbol: `${className}.${name}` };
    const routed = function (...args: unknown[]): unknown {
      enter(factorySpec, options, routed);
      return adopt(original.apply(frozen, args) as object);
    };
    statics[name] = routed;
  }
  return Alias;
}

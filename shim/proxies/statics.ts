/**
 * The statics of a legacy class the app uses through them (`Clients.emitDataToUser(id, type, data)`,
 * the class never instantiated; manifest `classes[].statics`), routed per call by the id's mode like
 * a free function (free-function.ts; a static has no receiver, so it is one):
 *  - canonical: the static's template (strangle writes it from `classes[].statics`, typed against
 *    the legacy static) on the one hub;
 *  - legacy: the frozen static, called on the frozen class (`this` inside it is the class whose
 *    state it keeps: its own static fields, e.g. the socket map), or on the app's subclass that called it;
 *  - strict: DeprecatedApiError;
 *  - shadow: the frozen static serves, the template runs on the id's private hub; frames compared.
 * A data static with a template (no arguments: a getter) reads the same way: canonical the
 * template, legacy the frozen class's field, strict throws; a write goes to the frozen class.
 * Every static of the class without a template stays served by the frozen class (the alias
 * inherits it); the facade keeps the id in legacy mode while the repo uses one (defaultMode).
 */
import type { CanonicalBinding } from './templated.js';
import type { LegacyEntrySpec, ShimOptions } from './entry.js';
import { enter, resolveHub } from './entry.js';
import { defineLegacyFreeFunction } from './free-function.js';
import { legacyByDefault } from './manager.js';
import { CanonicalBinding as Binding } from './templated.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/** A class's statics in canonical mode (strangle generates it from `classes[].statics`). */
export interface StaticTable<C> {
  /** Called statics (methods, or properties holding a function): `(self, ...legacyParameters) => legacyResult`. */
  methods?: { [K in keyof C]?: C[K] extends AnyFn ? (self: CanonicalBinding, ...args: Parameters<C[K]>) => ReturnType<C[K]> : never };
  /** Data statics (read, not called): `(self) => legacyValue`. */
  properties?: { [K in keyof C]?: (self: CanonicalBinding) => C[K] };
  /** Called statics whose legacy result is `void`: a promise the template returns is not handed back (its rejection is reported). */
  detached?: ReadonlyArray<keyof C & string>;
}

/** The identity of `canonicalTable` for statics: the compiler checks each template against the legacy static. */
export function staticTable<C>(table: StaticTable<C>): StaticTable<C> {
  return table;
}

/**
 * Routes every templated static of `frozen` on `Alias` (the facade's class, whose prototype chain
 * reaches `frozen` for every other static). `options` are the class's (mode default, hub, runtime).
 */
export function routeStatics(spec: LegacyEntrySpec, Alias: Function, frozen: Function, table: StaticTable<unknown>, options: ShimOptions): void {
  const owner = (self: unknown): unknown => (self === Alias || self === undefined ? frozen : self);
  // a default-exported class's entry symbol is `default`: its statics are named after the class
  const className = spec.symbol === 'default' && frozen.name ? frozen.name : spec.symbol;
  const detached = new Set<string>(table.detached ?? []);
  for (const [name, template] of Object.entries(table.methods ?? {}) as Array<[string, AnyFn | undefined]>) {
    if (typeof template !== 'function') continue;
    const frozenFn = function (this: unknown, ...args: unknown[]): unknown {
      // read at each call: a static property holding a function may be reassigned by the legacy code
      const f = Reflect.get(frozen, name) as AnyFn;
      return f.apply(owner(this), args);
    };
    Object.defineProperty(frozenFn, 'length', { value: (Reflect.get(frozen, name) as AnyFn | undefined)?.length ?? 0 });
    const routed = defineLegacyFreeFunction({ ...spec, symbol: `${className}.${name}` }, frozenFn, { ...options, canonical: template, ...(detached.has(name) ? { detached: true } : {}) });
    Object.defineProperty(Alias, name, { value: routed, writable: true, configurable: true, enumerable: false });
  }
  const opts = legacyByDefault(options, true);
  for (const [name, template] of Object.entries(table.properties ?? {}) as Array<[string, ((self: CanonicalBinding) => unknown) | undefined]>) {
    if (typeof template !== 'function') continue;
    const symbol = `${className}.${name}`;
    const get = function (this: unknown): unknown {
      const entry = enter({ ...spec, symbol }, opts, get);
      if (entry.mode === 'legacy' || entry.mode === 'shadow') return Reflect.get(frozen, name, owner(this));
      return template(new Binding(resolveHub(opts), () => frozen as object, undefined, entry.record));
    };
    Object.defineProperty(Alias, name, {
      get,
      set(this: unknown, value: unknown) {
        Reflect.set(frozen, name, value, owner(this));
      },
      configurable: true,
      enumerable: false,
    });
  }
}

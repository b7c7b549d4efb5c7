/**
 * The text of a facade: every legacy name of the module becomes a real declaration routed by
 * the shim (with its own `@deprecated` JSDoc), every other export is re-exported from the
 * frozen body unchanged. Pure: module facts and manifest in, source text out.
 */
import { posix } from 'node:path';
import type { SsotManifest } from '../../manifest/types.js';
import { normalizeId } from '../engine/module-id.js';
import type { ExportInfo, FrozenRef, MemberFact, ModuleInfo } from './analyze.js';
import { classKey } from './analyze.js';
import { FACADE_MARKER, frozenPathOf } from './layout.js';
import { relativeSpecifier } from '../engine/specifier.js';
import { identifierText, stringLiteral } from '../engine/literal.js';
import { memberTemplateToFunction, templateToMapping } from '../../manifest/templates.js';
import { registrationMembers } from '../../manifest/registration.js';
import type { SourcePunctuation } from '../engine/import-style.js';

/**
 * The shim's facade entry (shim/facade.ts), not its whole index: a facade is part of the user's
 * program, and the user's type check should load only the declarations the facade uses.
 */
export const SHIM_SPECIFIER = 'ssot-migrate/shim/facade';
/** The toolkit's canonical package, and its core entry (canonical/core.ts: no server, auth, wire, client or Redis types). */
const CANONICAL_PACKAGE = 'ssot-migrate/canonical';
const CANONICAL_CORE = 'ssot-migrate/canonical/core';

/** A string literal for generated code (the printer's escaping, codemods/engine/literal.ts) in the given quote; line breaks become spaces. */
function quoteIn(s: string, q: SourcePunctuation['quote'] = "'"): string {
  return stringLiteral(s.replace(/\r?\n/g, ' '), q);
}

/** What strangle knows about one described class: its members, and the used ones with no entry. */
export interface ClassFacts {
  members: MemberFact[];
  /** Used in the repo (type checker) with neither a template nor a legacyMembers entry. */
  unmappedUsed: string[];
  /** Its public statics, when its entry has a statics table (classes[].statics). */
  statics?: MemberFact[];
  /** Statics used in the repo with no template (they stay the frozen class's: the id defaults to legacy mode). */
  unmappedStaticsUsed?: string[];
}

type Role =
  | { kind: 'free-function'; id: string; template: string | undefined; registers: boolean }
  | { kind: 'adapter'; id: string; unwrapArg: number; methods: Record<string, string> }
  | { kind: 'factory-class'; id: string; statics: string[] }
  | { kind: 'manager-function'; id: string }
  | { kind: 'legacy'; id: string; canonical: string }
  | { kind: 'plain' };

function roleOf(manifest: SsotManifest, moduleId: string, name: string, declaredAs?: FrozenRef): Role {
  const same = (m: string): boolean => {
    const id = normalizeId(m);
    return id === moduleId || `${id}/index` === moduleId;
  };
  // an adapter class re-exported by another legacy module (a barrel) is the same adapter
  const adapter =
    manifest.adapters.find((a) => same(a.module) && a.class === name) ??
    (declaredAs ? manifest.adapters.find((a) => normalizeId(a.module) === declaredAs.moduleId && a.class === declaredAs.name) : undefined);
  if (adapter) return { kind: 'adapter', id: adapter.id, unwrapArg: adapter.unwrapArg, methods: adapter.methods };
  const f = manifest.factory;
  if (f) {
    const entries = f.entries.filter((e) => same(e.module));
    const statics = entries.filter((e) => e.call.startsWith(`${name}.`)).map((e) => e.call.slice(name.length + 1));
    if (statics.length) return { kind: 'factory-class', id: f.id, statics };
    if (entries.some((e) => e.call === name)) return { kind: 'manager-function', id: f.id };
  }
  const legacy = manifest.legacy.find((l) => same(l.module));
  const canonical = legacy?.symbols[name];
  if (legacy && canonical !== undefined) return { kind: 'legacy', id: legacy.id, canonical };
  // a class used through its statics (classes[].statics) is routed whether or not a symbol maps its name (its default export, typically)
  const staticsOf = declaredAs ?? { moduleId, name };
  if (legacy && manifest.classes.some((c) => c.statics !== undefined && normalizeId(c.module) === staticsOf.moduleId && c.class === staticsOf.name)) return { kind: 'legacy', id: legacy.id, canonical: '' };
  // a module of free functions (functions[]): every exported function is routed, a templated one also in canonical mode
  const fns = manifest.functions.find((f) => same(f.module));
  if (legacy && fns) return { kind: 'free-function', id: legacy.id, template: Object.hasOwn(fns.templates, name) ? fns.templates[name] : undefined, registers: registrationMembers(fns.templates, fns.registration).includes(name) };
  return { kind: 'plain' };
}

/** The id a module as a whole answers to (its legacy entry, else its adapter or factory id). */
export function moduleDeprecationId(manifest: SsotManifest, moduleId: string): string | undefined {
  const same = (m: string): boolean => normalizeId(m) === moduleId || `${normalizeId(m)}/index` === moduleId;
  return manifest.legacy.find((l) => same(l.module))?.id ?? manifest.adapters.find((a) => same(a.module))?.id ?? (manifest.factory?.entries.some((e) => same(e.module)) ? manifest.factory.id : undefined);
}

function replacementFor(manifest: SsotManifest, id: string): string {
  const cmod = manifest.canonical.module;
  const legacy = manifest.legacy.find((l) => l.id === id);
  if (legacy) return legacy.replacement ?? `the canonical names from '${cmod}'`;
  const adapter = manifest.adapters.find((a) => a.id === id);
  if (adapter) {
    const first = Object.entries(adapter.methods)[0];
    if (!first) return 'the wrapped manager directly';
    return `the wrapped manager directly (e.g. ${first[0]}(…) → ${first[1].replace(/\$m\b/g, 'manager').replace(/\$(\d)/g, 'arg$1')})`;
  }
  if (manifest.factory?.id === id) return `${manifest.factory.replacement.replace(/\$ctx\b/g, 'ctx')} from '${cmod}'`;
  return `'${cmod}'`;
}

function canonicalSpecifier(manifest: SsotManifest, facadeFile: string): string {
  const m = manifest.canonical.module;
  // a facade imports only canonical enums (defineLegacyEnum), all of which the core entry exports
  // (test/package checks it), so the user's program skips the network side's declarations
  if (m === CANONICAL_PACKAGE) return CANONICAL_CORE;
  if (m.startsWith('.') || m.startsWith('/') || /^(src|lib|app)\//.test(m)) return relativeSpecifier(facadeFile, `${normalizeId(m)}.ts`, true);
  return m;
}

function camel(moduleId: string): string {
  const base = posix.basename(moduleId) === 'index' ? posix.basename(posix.dirname(moduleId)) : posix.basename(moduleId);
  return `frozen${base.replace(/(^|[_\-.])(\w)/g, (_, __, c: string) => c.toUpperCase())}`;
}

/** What strangle knows about a module of free functions (functions[]): exported functions the repo calls with no template. */
export interface FunctionFacts {
  unmappedUsed: string[];
}

export interface FacadeInput {
  info: ModuleInfo;
  /** Facts of the modules described in the manifest's `functions[]`, keyed by module id. */
  functions?: ReadonlyMap<string, FunctionFacts>;
  /** Facts of the classes described in the manifest's `classes[]`, keyed `moduleId#Class`. */
  classes?: ReadonlyMap<string, ClassFacts>;
  manifest: SsotManifest;
  /** Module id → file of every strangled module (for frozen siblings named in options). */
  moduleFiles: ReadonlyMap<string, string>;
  eol: string;
  bom: boolean;
  /** The original's relative imports carried `.js` (NodeNext); the facade's do the same. */
  withJs: boolean;
  /** Lines above the marker, carried over from the original (layout.ts carriedHeader). */
  header?: readonly string[];
  /** The original's quote and semicolon habit (engine/import-style.ts sourcePunctuation): the facade is written in it. */
  punct?: SourcePunctuation;
  /** The module compiles to CommonJS (tsconfig `module`, or a CommonJS file under NodeNext): no `import.meta`, its file is `__filename`. */
  commonJs?: boolean;
  /**
   * The facade may carry type syntax (default). False for a JavaScript module (`.js`, `.mjs`…):
   * no annotations, no type arguments, no `export type` (a JavaScript module exports no types, and
   * such syntax would not parse there); its templates are then checked by nothing but the run.
   */
  typed?: boolean;
  /**
   * The module is CommonJS JavaScript (commonjs.ts read its exports): the facade is CommonJS too —
   * `require()` for what it uses, `exports.x = …` for a named export, `module.exports = …` for the
   * whole one (the export named `default` here) — and it names its file with `__filename`.
   */
  commonJsModule?: boolean;
}

/** `exports.name`, or `exports['name']` when the name is not an identifier. */
function exportsMember(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `exports.${name}` : `exports[${quoteIn(name)}]`;
}

export function renderFacade({ info, manifest, moduleFiles, eol, bom, withJs, classes, functions, header = [], punct = { quote: "'", semi: ';' }, commonJs: esmInCommonJs = false, typed = true, commonJsModule: cjs = false }: FacadeInput): string {
  const commonJs = esmInCommonJs || cjs;
  const { file, moduleId } = info;
  // every line the facade writes is a statement that starts with a keyword or an identifier, so
  // leaving out its `;` in an ASI file needs no guard; the manifest's templates get the quote too
  const quote = (s: string): string => quoteIn(s, punct.quote);
  const semi = punct.semi;
  const frozenFile = frozenPathOf(file);
  const frozenSpec = relativeSpecifier(file, frozenFile, withJs);
  const names = new Set(info.exports.map((e) => e.name));
  const free = (base: string): string => {
    let n = base;
    while (names.has(n)) n += '_';
    names.add(n);
    return n;
  };
  const ns = free('frozen');
  const spec = free('spec');
  const helpers = new Set<string>();
  const canonicalImports: string[] = [];
  const siblingImports = new Map<string, string>();
  const ids = new Set<string>();
  const body: string[] = [];
  const plainValues: string[] = [];
  const plainTypes: string[] = [];
  let defaultLine: string | undefined;

  const specCall = (id: string, symbol: string): string => {
    ids.add(id);
    return `${spec}(${quote(id)}, ${quote(symbol)})`;
  };
  const doc = (id: string, extra = ''): string => `/** @deprecated ${id}: use ${replacementFor(manifest, id).replace(/\*\//g, '* /')}${extra} */`;
  const frozenClassRef = (ref: { moduleId: string; name: string }): string | undefined => {
    if (ref.moduleId === moduleId) {
      // a class this module exports only as its default (`export default class C`) is the frozen module's `default`
      const named = info.exports.some((e) => e.name === ref.name) || !info.exports.some((e) => e.name === 'default' && e.declaredAs?.name === ref.name && e.declaredAs.moduleId === ref.moduleId);
      return `${ns}.${named ? ref.name : 'default'}`;
    }
    const f = moduleFiles.get(ref.moduleId);
    if (f === undefined) return undefined;
    let alias = siblingImports.get(f);
    if (alias === undefined) siblingImports.set(f, (alias = free(camel(ref.moduleId))));
    return `${alias}.${ref.name}`;
  };
  const tables = new Map<string, string>();
  const tableLines: string[] = [];
  /** The facade-local CanonicalTable of a described class (emitted once), and whether its id must default to legacy. */
  const tableFor = (ref: FrozenRef | undefined, typeText?: string): { name: string; defaultLegacy: boolean } | undefined => {
    if (!ref) return undefined;
    const spec = manifest.classes.find((c) => normalizeId(c.module) === ref.moduleId && c.class === ref.name);
    const facts = classes?.get(classKey(ref));
    if (!spec || !facts) return undefined;
    // an instance's table is typed by the instance (its class need not be exported)
    const type = typeText ?? frozenClassRef(ref);
    if (type === undefined) return undefined;
    let name = tables.get(classKey(ref));
    if (name === undefined) {
      // an object manager's const is camelCase (`wsManager` → `canonicalWsManager`)
      name = free(`canonical${ref.name.charAt(0).toUpperCase()}${ref.name.slice(1)}`);
      tables.set(classKey(ref), name);
      helpers.add('canonicalTable');
      const byName = new Map(facts.members.map((m) => [m.name, m]));
      const methods: string[] = [];
      const properties: string[] = [];
      const legacyServed = new Set(spec.legacyMembers ?? []);
      for (const [member, template] of Object.entries(spec.members)) {
        if (legacyServed.has(member)) continue; // the shim serves it from legacy code; its template is the static rewrite's
        const fact = byName.get(member);
        if (!fact) continue; // not a member of the class (yet): the compiler would refuse it
        if (fact.kind === 'property') properties.push(`    ${member}: ${memberTemplateToFunction(template, 'property', 0, punct.quote)},`);
        else methods.push(`    ${member}: ${memberTemplateToFunction(template, 'method', 0, punct.quote)},`);
      }
      const legacy = (spec.legacyMembers ?? []).filter((m) => byName.has(m));
      const mapped = new Set([...Object.keys(spec.members), ...legacy]);
      const unmapped = facts.members.filter((m) => !mapped.has(m.name)).map((m) => m.name);
      const detached = facts.members.filter((m) => m.kind === 'method' && m.returnsVoid && Object.hasOwn(spec.members, m.name) && !legacyServed.has(m.name)).map((m) => m.name);
      // A property that is the bound context ($ctx) is rebound by assignment (another user refused).
      const rebind = facts.members.filter((m) => m.kind === 'property' && !legacyServed.has(m.name) && spec.members[m.name]?.trim() === '$ctx').map((m) => m.name);
      // members that register or unregister a connection run on both sides in every mode (the manifest's registration, else found from the templates)
      const registration = registrationMembers(spec.members, spec.registration, legacyServed).filter((m) => byName.get(m)?.kind === 'method');
      const list = (xs: string[]) => `[${xs.map(quote).join(', ')}]`;
      tableLines.push(
        `/** ${ref.name} in canonical mode, generated from ssot.config.json classes[] (${ref.moduleId}#${ref.name})${typed ? '; each template is typed against the legacy member' : ''}. */`,
        // JavaScript has no type arguments, and checkJs would infer the legacy type from the table's own literal (its members
        // then `never`, and what the shim hands back typed as the table): the literal is cast to any, the templates checked by the run only
        typed ? `const ${name} = canonicalTable<${type}>({` : `const ${name} = canonicalTable(/** @type {any} */ ({`,
        ...(methods.length ? ['  methods: {', ...methods, '  },'] : []),
        ...(properties.length ? ['  properties: {', ...properties, '  },'] : []),
        ...(legacy.length ? [`  legacy: ${list(legacy)},`] : []),
        ...(unmapped.length ? [`  unmapped: ${list(unmapped)}, // no template: ${facts.unmappedUsed.length ? `used in the repo (${facts.unmappedUsed.join(', ')}): this id defaults to legacy mode` : 'unused, reaching one throws UnmappedMemberError'}`] : []),
        ...(rebind.length ? [`  rebind: ${list(rebind)},`] : []),
        ...(detached.length ? [`  detached: ${list(detached)},`] : []),
        ...(registration.length ? [`  registration: ${list(registration)}, // run on both sides in every mode: a flip serves every connection`] : []),
        typed ? `})${semi}` : `}))${semi}`,
        '',
      );
    }
    return { name, defaultLegacy: facts.unmappedUsed.length > 0 || (facts.unmappedStaticsUsed?.length ?? 0) > 0 };
  };
  /** The facade-local static table of a class whose entry has a statics table (classes[].statics), emitted once. */
  const staticsTables = new Map<string, string>();
  const staticsFor = (ref: FrozenRef | undefined): string | undefined => {
    if (!ref) return undefined;
    const spec = manifest.classes.find((c) => normalizeId(c.module) === ref.moduleId && c.class === ref.name);
    const facts = classes?.get(classKey(ref));
    if (!spec?.statics || !facts?.statics) return undefined;
    const type = frozenClassRef(ref);
    if (type === undefined) return undefined;
    const known = staticsTables.get(classKey(ref));
    if (known !== undefined) return known;
    const byName = new Map(facts.statics.map((m) => [m.name, m]));
    const methods: string[] = [];
    const properties: string[] = [];
    for (const [name, template] of Object.entries(spec.statics)) {
      const fact = byName.get(name);
      if (!fact) continue; // not a static of the class: the compiler would refuse it
      if (fact.kind === 'property') properties.push(`    ${name}: ${memberTemplateToFunction(template, 'property', 0, punct.quote)},`);
      else methods.push(`    ${name}: ${memberTemplateToFunction(template, 'method', 0, punct.quote)},`);
    }
    const detached = facts.statics.filter((m) => m.kind === 'method' && m.returnsVoid && Object.hasOwn(spec.statics!, m.name)).map((m) => m.name);
    const unmapped = facts.unmappedStaticsUsed ?? [];
    const name = free(`canonical${ref.name}Statics`);
    staticsTables.set(classKey(ref), name);
    helpers.add('staticTable');
    const list = (xs: string[]) => `[${xs.map(quote).join(', ')}]`;
    tableLines.push(
      `/** ${ref.name}'s statics in canonical mode, generated from ssot.config.json classes[].statics (${ref.moduleId}#${ref.name})${typed ? '; each template is typed against the legacy static' : ''}${unmapped.length ? `; used with no template, served by the frozen class: ${unmapped.join(', ')} (this id defaults to legacy mode)` : ''}. */`,
      `const ${name} = staticTable${typed ? `<typeof ${type}>` : ''}({`,
      ...(methods.length ? ['  methods: {', ...methods, '  },'] : []),
      ...(properties.length ? ['  properties: {', ...properties, '  },'] : []),
      ...(detached.length ? [`  detached: ${list(detached)},`] : []),
      `})${semi}`,
      '',
    );
    return name;
  };
  const tableOptions = (ref: FrozenRef | undefined): string[] => {
    const t = tableFor(ref);
    if (!t) return [];
    return [`canonical: ${t.name}`, ...(t.defaultLegacy ? [`defaultMode: ${quote('legacy')}`] : [])];
  };

  const typeAlias = (e: ExportInfo, id: string): void => {
    if (!typed) return;
    if (e.generic) plainTypes.push(e.name);
    else body.push(doc(id), `export type ${e.name} = ${ns}.${e.name}${semi}`);
  };

  /** The routed value for one export, or undefined when it is re-exported as is. */
  const valueFor = (e: ExportInfo, symbol: string): { id: string; expr: string; hasType: boolean; doc?: string } | undefined => {
    const role = roleOf(manifest, moduleId, symbol, e.declaredAs);
    // a CommonJS module's whole export is the frozen module itself
    const src = cjs && e.name === 'default' ? ns : `${ns}.${e.name}`;
    // what telemetry and warnings call it: a CommonJS module's whole export by the module's name
    const shown = cjs && e.name === 'default' ? `${posix.basename(moduleId)} (module.exports)` : symbol;
    const opts = (o: string[]): string => (o.length ? `, { ${o.join(', ')} }` : '');
    // an instance the module builds itself: routed per member read through its class's table (shim/proxies/instance.ts)
    const instanceId = role.kind === 'plain' || role.kind === 'legacy' || role.kind === 'free-function' ? (role.kind === 'plain' ? moduleDeprecationId(manifest, moduleId) : role.id) : undefined;
    if (e.kind === 'variable' && e.instanceOf && instanceId !== undefined) {
      const t = tableFor(e.instanceOf, `typeof ${src}`);
      if (t) {
        helpers.add('defineLegacyInstance');
        const o = [`canonical: ${t.name}`, ...(t.defaultLegacy ? [`defaultMode: ${quote('legacy')}`] : [])];
        return { id: instanceId, expr: `defineLegacyInstance(${specCall(instanceId, shown)}, ${src}${opts(o)})`, hasType: false, doc: `/** @deprecated ${instanceId}: an instance of ${e.instanceOf.name}; each member call is routed by the shim (ssot.config.json classes[]). Use ${replacementFor(manifest, instanceId).replace(/\*\//g, '* /')} */` };
      }
    }
    // an object manager (a const holding an object literal, classes[]): a facade object whose members are routed one by one (shim/proxies/object.ts)
    if (e.kind === 'variable' && e.objectManager && instanceId !== undefined) {
      const t = tableFor(e.objectManager, `typeof ${src}`);
      if (t) {
        helpers.add('defineLegacyObject');
        const o = [`canonical: ${t.name}`, ...(t.defaultLegacy ? [`defaultMode: ${quote('legacy')}`] : [])];
        return { id: instanceId, expr: `defineLegacyObject(${specCall(instanceId, shown)}, ${src}${opts(o)})`, hasType: false, doc: `/** @deprecated ${instanceId}: an object manager; each member call is routed by the shim (ssot.config.json classes[]). Use ${replacementFor(manifest, instanceId).replace(/\*\//g, '* /')} */` };
      }
    }
    if (role.kind === 'plain') return undefined;
    if (role.kind === 'free-function') {
      if (!e.callable) return undefined; // not a function: re-exported as is
      helpers.add('defineLegacyFreeFunction');
      const o: string[] = [];
      if (role.template !== undefined) {
        o.push(`canonical: ${memberTemplateToFunction(role.template, 'method', 0, punct.quote)}`);
        if (e.callable.returnsVoid) o.push('detached: true');
        // it registers or unregisters a connection: run on both sides in every mode, so a flip serves every connection
        if (role.registers) o.push('registration: true');
      }
      // a called function with no template keeps the whole id on legacy code until it is mapped (the shim does so for a function with none)
      if (role.template !== undefined && (functions?.get(moduleId)?.unmappedUsed.length ?? 0) > 0) o.push(`defaultMode: ${quote('legacy')}`);
      // the JSDoc names what a call becomes (the manifest's template), or that nothing does yet
      const becomes = role.template !== undefined ? `a call becomes ${role.template.replace(/\r?\n/g, ' ')} (ssot.config.json functions[].templates)` : 'no template yet (ssot.config.json functions[].templates): served by the frozen function';
      return { id: role.id, expr: `defineLegacyFreeFunction(${specCall(role.id, shown)}, ${src}${opts(o)})`, hasType: false, doc: `/** @deprecated ${role.id}: ${becomes.replace(/\*\//g, '* /')} */` };
    }
    if (role.kind === 'adapter' && e.kind === 'class') {
      helpers.add('defineLegacyAdapter');
      const o = [`unwrapArg: ${role.unwrapArg}`];
      if (e.contextArg !== undefined) o.push(`contextArg: ${e.contextArg}`);
      const adapterSpec = manifest.adapters.find((a) => a.id === role.id);
      if (adapterSpec?.scope) o.push(`scope: { ${Object.entries(adapterSpec.scope).map(([k, v]) => `${k}: ${quote(v)}`).join(', ')} }`);
      const voids = e.declaredAs ? (classes?.get(classKey(e.declaredAs))?.members ?? []) : [];
      const detached = voids.filter((m) => m.kind === 'method' && m.returnsVoid && Object.hasOwn(role.methods, m.name)).map((m) => m.name);
      if (detached.length) o.push(`detached: [${detached.map(quote).join(', ')}]`);
      if (e.factoryStatics?.length) o.push(`statics: [${e.factoryStatics.map(quote).join(', ')}]`);
      const methods = Object.entries(role.methods);
      if (!methods.length) return { id: role.id, expr: `defineLegacyAdapter(${specCall(role.id, shown)}, ${src}${opts(o)})`, hasType: true };
      const lines = methods.map(([n, t]) => `      ${n}: ${templateToMapping(t, punct.quote)},`);
      const expr = [`defineLegacyAdapter(${specCall(role.id, shown)}, ${src}, {`, ...o.map((x) => `  ${x},`), '  methods: {', ...lines.map((l) => l.slice(2)), '  },', '})'].join(eol);
      return { id: role.id, expr, hasType: true };
    }
    if (role.kind === 'factory-class' && e.kind === 'class') {
      helpers.add('defineLegacyFactoryClass');
      const statics = role.statics.map((s) => {
        const ci = e.statics?.find((x) => x.name === s)?.contextArg ?? 0;
        return `${s}: { contextArg: ${ci} }`;
      });
      const o = [`statics: { ${statics.join(', ')} }`];
      if (e.methods?.length) o.push(`methods: { ${e.methods.map((m) => `${m.name}: { contextArg: ${m.contextArg} }`).join(', ')} }`);
      if (e.factoryStatics?.length) o.push(`factoryStatics: [${e.factoryStatics.map(quote).join(', ')}]`);
      const fm = e.returnsClass && frozenClassRef(e.returnsClass);
      if (fm) o.push(`frozenManager: ${fm}`, ...tableOptions(e.returnsClass));
      return { id: role.id, expr: `defineLegacyFactoryClass(${specCall(role.id, shown)}, ${src}${opts(o)})`, hasType: true };
    }
    const managerFunction = (id: string): { id: string; expr: string; hasType: boolean } => {
      helpers.add('defineLegacyManagerFunction');
      const o: string[] = [];
      if (e.contextArg !== undefined && e.contextArg !== 0) o.push(`contextArg: ${e.contextArg}`);
      const fm = e.returnsClass && frozenClassRef(e.returnsClass);
      if (fm) o.push(`frozenManager: ${fm}`, ...tableOptions(e.returnsClass));
      return { id, expr: `defineLegacyManagerFunction(${specCall(id, shown)}, ${src}${opts(o)})`, hasType: false };
    };
    if (role.kind === 'manager-function' && e.kind === 'function') return managerFunction(role.id);
    if (role.kind !== 'legacy') return { id: role.id, expr: src, hasType: e.kind === 'class' || e.kind === 'enum' };
    switch (e.kind) {
      case 'class': {
        helpers.add('defineLegacyManagerAlias');
        const o = e.contextArg !== undefined && e.contextArg !== 1 ? [`contextArg: ${e.contextArg}`] : [];
        o.push(...tableOptions(e.declaredAs));
        const st = staticsFor(e.declaredAs);
        if (st !== undefined) o.push(`statics: ${st}`);
        return { id: role.id, expr: `defineLegacyManagerAlias(${specCall(role.id, shown)}, ${src}${opts(o)})`, hasType: true };
      }
      case 'enum': {
        if (!manifest.canonical.exports.includes(role.canonical)) return { id: role.id, expr: src, hasType: true };
        helpers.add('defineLegacyEnum');
        const local = free(`Canonical${role.canonical}`);
        canonicalImports.push(role.canonical === local ? identifierText(local, 'canonical name') : `${identifierText(role.canonical, 'canonical name')} as ${identifierText(local, 'canonical name')}`);
        return { id: role.id, expr: `defineLegacyEnum(${specCall(role.id, shown)}, ${src}, ${local})`, hasType: true };
      }
      case 'function':
        if (role.canonical === manifest.canonical.factory) return managerFunction(role.id);
        helpers.add('defineLegacyFunction');
        return { id: role.id, expr: `defineLegacyFunction(${specCall(role.id, shown)}, ${src})`, hasType: false };
      case 'variable':
        ids.add(role.id);
        return { id: role.id, expr: src, hasType: false };
      default:
        return undefined;
    }
  };

  /** Names the facade declares itself (`export const name = …`), which a default object may reference. */
  const routedNames = new Set<string>();
  for (const e of info.exports) {
    if (e.name === 'default') continue;
    if (e.typeOnly || e.kind === 'type') {
      const role = roleOf(manifest, moduleId, e.name, e.declaredAs);
      if (role.kind === 'plain' || e.typeOnly) plainTypes.push(e.name);
      else typeAlias(e, role.id);
      continue;
    }
    const v = valueFor(e, e.name);
    if (!v) {
      plainValues.push(e.name);
      continue;
    }
    body.push(v.doc ?? doc(v.id), cjs ? `${exportsMember(e.name)} = ${v.expr}${semi}` : `export const ${e.name} = ${v.expr}${semi}`);
    routedNames.add(e.name);
    if (v.hasType) typeAlias(e, v.id);
  }
  const def = info.exports.find((e) => e.name === 'default');
  if (def && cjs) {
    const v = valueFor(def, 'default');
    if (v) body.push(v.doc ?? doc(v.id));
    defaultLine = `module.exports = ${v ? v.expr : ns}${semi}`;
  } else if (def) {
    if (def.sameAs !== undefined) defaultLine = `export default ${def.sameAs}${semi}`;
    else if (def.objectOf?.every((p) => routedNames.has(p.ref)) && def.objectOf.some((p) => roleOf(manifest, moduleId, p.ref).kind === 'free-function')) {
      // `export default { sendToUser }` of a module of free functions: the same object over the routed functions
      defaultLine = `export default { ${def.objectOf.map((p) => (p.key === p.ref ? p.ref : `${p.key}: ${p.ref}`)).join(', ')} }${semi}`;
    } else {
      const v = valueFor(def, 'default');
      if (v) {
        const local = free('legacyDefault');
        body.push(v.doc ?? doc(v.id), `const ${local} = ${v.expr}${semi}`);
        defaultLine = `export default ${local}${semi}`;
      } else defaultLine = `export { default } from ${quote(frozenSpec)}${semi}`;
    }
  }

  const moduleId0 = moduleDeprecationId(manifest, moduleId);
  const head: string[] = [
    `${FACADE_MARKER} (${[...new Set([...(moduleId0 ? [moduleId0] : []), ...ids])].sort().join(', ') || 'no legacy names'}).`,
    `// The original body is frozen in ./${posix.basename(frozenFile)}, the rollback target of the shim's legacy mode;`,
    `// remove-shim deletes both once nothing uses them. Generated by \`ssot-migrate run strangle\`.`,
  ];
  // The frozen namespace only when a line uses it (a facade of plain re-exports needs none, and
  // an unused one fails a team's noUnusedLocals); the frozen body still loads when it has side
  // effects and nothing else imports it at run time.
  const usesNs = new RegExp(`(^|[^\\w$])${ns}\\.`);
  if (cjs) head.push(`const ${ns} = require(${quote(frozenSpec)})${semi}`);
  else if ([...tableLines, ...body].some((l) => usesNs.test(l))) head.push(`import * as ${ns} from ${quote(frozenSpec)}${semi}`);
  else if (info.sideEffects && plainValues.length === 0 && !defaultLine?.includes(quote(frozenSpec))) head.push(`import ${quote(frozenSpec)}${semi}`);
  for (const [f, alias] of siblingImports) head.push(cjs ? `const ${alias} = require(${quote(relativeSpecifier(file, frozenPathOf(f), withJs))})${semi}` : `import * as ${alias} from ${quote(relativeSpecifier(file, frozenPathOf(f), withJs))}${semi}`);
  if (canonicalImports.length) head.push(cjs ? `const { ${canonicalImports.map((c) => c.replace(' as ', ': ')).join(', ')} } = require(${quote(canonicalSpecifier(manifest, file))})${semi}` : `import { ${canonicalImports.join(', ')} } from ${quote(canonicalSpecifier(manifest, file))}${semi}`);
  const enter = info.sideEffects && moduleId0 !== undefined;
  if (enter) helpers.add('enterLegacyModule');
  if (helpers.size) head.push(cjs ? `const { ${[...helpers].sort().join(', ')} } = require(${quote(SHIM_SPECIFIER)})${semi}` : `import { ${[...helpers].sort().join(', ')} } from ${quote(SHIM_SPECIFIER)}${semi}`);
  const lines = [...head, ''];
  // The spec helper only when a line calls it (an unused one fails a team's noUnusedLocals too).
  const usesSpec = [...tableLines, ...body, defaultLine ?? ''].some((l) => l.includes(`${spec}(`));
  if (usesSpec || enter) {
    if (enter) ids.add(moduleId0!);
    const reps = [...ids].sort().map((id) => `  ${id}: ${quote(replacementFor(manifest, id))},`);
    lines.push(`const replacements${typed ? ': Record<string, string>' : ''} = {`, ...reps, `}${semi}`);
    lines.push(`const ${spec} = (${typed ? 'id: string, symbol: string' : 'id, symbol'}) => ({ id, symbol, replacement: replacements[id] ?? id, facade: ${commonJs ? '__filename' : 'import.meta.url'} })${semi}`, '');
  }
  if (enter) lines.push(`// Importing this module is itself the deprecated use (the frozen body still warns as before).`, `enterLegacyModule(${spec}(${quote(moduleId0!)}, ${quote(posix.basename(moduleId))}))${semi}`, '');
  lines.push(...tableLines, ...body);
  // a CommonJS module's plain values stay live reads of the frozen module's (as `export … from` is)
  if (plainValues.length && cjs) for (const n of plainValues) lines.push(`Object.defineProperty(exports, ${quote(n)}, { enumerable: true, get: () => ${/^[A-Za-z_$][\w$]*$/.test(n) ? `${ns}.${n}` : `${ns}[${quote(n)}]`} })${semi}`);
  else if (plainValues.length) lines.push(`export { ${plainValues.join(', ')} } from ${quote(frozenSpec)}${semi}`);
  if (plainTypes.length && typed) lines.push(`export type { ${plainTypes.join(', ')} } from ${quote(frozenSpec)}${semi}`);
  if (defaultLine) lines.push(defaultLine);
  return (bom ? '\uFEFF' : '') + [...header.map((h) => h.replace(/\r?\n/g, eol)), ...lines].join(eol) + eol;
}

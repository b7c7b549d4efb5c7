/**
 * "Does this text mention a legacy name or module?", answered once, from the manifest and the
 * code (discover's inventory), never from names in our source. A mention is a whole identifier
 * (`WebSocketManagerMode` never contains `WebSocketManager`) or a path token ending in a legacy
 * module (`websocket_core/manager.ts`, `unified_manager`); one inside a URL is a mention too,
 * but never renamed (the link would break).
 */
import type { SsotManifest } from '../../manifest/types.js';
import { withoutIndex } from '../engine/module-id.js';
import { escapeRegExp } from '../engine/text.js';
import { legacyModuleOwners } from './modules.js';

export interface LegacyName {
  /** The canonical name a rename in comments writes; undefined: no one name replaces it. */
  canonical?: string;
  /** Where the name comes from, for reports ("symbol of WSM001", "adapter class WSM008", …). */
  source: string;
  /** Derived from the code (an alias, a legacy module's own declaration): a name the code still binds is live, not legacy. */
  derived?: true;
  /** For an alias: the name it aliases (a sentence naming both is about the aliasing: no rename makes sense of it). */
  aliasOf?: string;
}

export interface LegacyVocabulary {
  names: ReadonlyMap<string, LegacyName>;
  /** Legacy module ids without `/index`, as segments (`['src', 'websocket_core', 'manager']`). */
  modules: ReadonlyArray<{ id: string; segments: string[] }>;
  /** Phrases a person listed (manifest `comments.terms`) that name legacy code without a name, e.g. "the legacy factory". */
  terms: readonly string[];
}

/** The part of discover's inventory (.ssot/inventory.json) the vocabulary reads. */
export interface InventoryNames {
  importSites?: ReadonlyArray<{ target?: string; name?: string; alias?: string }>;
  declarations?: ReadonlyArray<{ name?: string; suggestion?: boolean }>;
  aliases?: ReadonlyArray<{ name?: string; alias?: string }>;
}

export interface Mention {
  start: number;
  end: number;
  /** The text mentioned (the identifier, the path token or the URL). */
  text: string;
  kind: 'name' | 'module' | 'url' | 'term';
  /** What it names: the legacy name, or the legacy module id. */
  names: string;
  /** The canonical name to write instead (names only, never inside a URL). */
  canonical?: string;
  /** The name an alias stands for (LegacyName.aliasOf). */
  aliasOf?: string;
}

/**
 * The legacy vocabulary of a manifest, plus what the code adds: discover's inventory (aliases of
 * legacy imports, declarations of the legacy modules) and aliases found in the code now.
 */
export function legacyVocabulary(manifest: SsotManifest, inventory?: InventoryNames, codeAliases: ReadonlyArray<{ name: string; alias: string }> = []): LegacyVocabulary {
  const canonicalNames = new Set(manifest.canonical.exports);
  // not legacy: declarations moved out of legacy modules (they live on under the same name)
  const kept = new Set([...canonicalNames, ...manifest.moves.map((m) => m.name), 'default']);
  const mapped = new Map<string, Set<string>>();
  const sources = new Map<string, string>();
  for (const l of manifest.legacy)
    for (const [from, to] of Object.entries(l.symbols)) {
      if (from === to || kept.has(from)) continue;
      mapped.set(from, (mapped.get(from) ?? new Set()).add(to));
      if (!sources.has(from)) sources.set(from, `symbol of ${l.id}`);
    }
  const names = new Map<string, LegacyName>();
  for (const [name, to] of mapped) names.set(name, { ...(to.size === 1 ? { canonical: [...to][0]! } : {}), source: sources.get(name)! });
  const add = (name: string, entry: LegacyName): void => {
    if (!kept.has(name) && !names.has(name) && /^[A-Za-z_$][\w$]*$/.test(name)) names.set(name, entry);
  };
  for (const a of manifest.adapters) add(a.class, { source: `adapter class ${a.id}` });
  for (const c of manifest.classes) add(c.class, { source: `legacy class of ${c.module}` });
  for (const e of manifest.factory?.entries ?? []) {
    const [head, member] = e.call.split('.');
    // a factory function's replacement is the canonical factory; a class's is not one name
    add(head!, { ...(member === undefined && manifest.canonical.factory ? { canonical: manifest.canonical.factory } : {}), source: `factory entry of ${manifest.factory!.id}` });
  }
  const legacyIds = new Set([...legacyModuleOwners(manifest).values()].flat());
  // an alias of a mapped name is renamed to that name's canonical one (its sentence stays); of anything else, not
  const canonicalOf = (name: string | undefined) => {
    const c = name === undefined ? undefined : names.get(name)?.canonical;
    return c === undefined ? {} : { canonical: c, aliasOf: name! };
  };
  for (const s of inventory?.importSites ?? [])
    if (s.alias && s.target && legacyIds.has(s.target)) add(s.alias, { ...canonicalOf(s.name), source: `alias of ${s.name ?? 'a legacy module'} (${s.target})`, derived: true });
  for (const a of [...(inventory?.aliases ?? []), ...codeAliases]) if (a.name && a.alias && names.has(a.name)) add(a.alias, { ...canonicalOf(a.name), source: `alias of ${a.name}`, derived: true });
  for (const d of inventory?.declarations ?? []) if (d.name && !d.suggestion) add(d.name, { source: 'declared in a legacy module', derived: true });
  const modules = [...legacyModuleOwners(manifest).keys()].map((id) => ({ id, segments: withoutIndex(id).split('/') }));
  return { names, modules, terms: manifest.comments.terms ?? [] };
}

/** Does `text` contain a string it must contain to mention anything of `vocab`? (a cheap prefilter; terms in any case) */
export function mayMention(text: string, vocab: LegacyVocabulary, tokens: readonly string[] = vocabularyTokens(vocab)): boolean {
  if (tokens.some((k) => text.includes(k))) return true;
  if (vocab.terms.length === 0) return false;
  const lower = text.toLowerCase();
  return vocab.terms.some((t) => lower.includes(t.trim().split(/\s+/)[0]!.toLowerCase()));
}

/** Case-sensitive strings a text must contain to mention a name or module of `vocab` (terms: see mayMention). */
export function vocabularyTokens(vocab: LegacyVocabulary): string[] {
  // terms are matched case-insensitively: a file holding one in any case must pass
  // a module is named by a distinctive basename, a path ending in it, or its file name
  const moduleTokens = vocab.modules.flatMap((m) => {
    const base = m.segments.at(-1)!;
    return DISTINCTIVE.test(base) ? [base] : [...(m.segments.length > 1 ? [`${m.segments.at(-2)}/${base}`] : []), `${base}.`];
  });
  return [...new Set([...vocab.names.keys(), ...moduleTokens])];
}

/** The vocabulary without the derived names the code binds now (they name live code). */
export function withoutBound(vocab: LegacyVocabulary, bound: ReadonlySet<string>): LegacyVocabulary {
  if (![...bound].some((n) => vocab.names.get(n)?.derived)) return vocab;
  return { ...vocab, names: new Map([...vocab.names].filter(([n, e]) => !(e.derived && bound.has(n)))) };
}

const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>()`'"]+/gi;
const PATH_TOKEN = /(?<![\w$@~.\-/])[\w$@~.\-/]*[A-Za-z][\w$@~.\-/]*/g;
const IDENT = /(?<![\w$])[A-Za-z_$][\w$]*/g;
const SOURCE_EXT = /\.(?:d\.ts|[cm]?[jt]sx?)$/;
/** A single path segment names a module only when it cannot be an ordinary word. */
const DISTINCTIVE = /[_\-\d]|[a-z][A-Z]/;

/** The legacy module a path-like token names, if any. */
export function moduleOfPath(token: string, vocab: LegacyVocabulary): string | undefined {
  const hasExt = SOURCE_EXT.test(token);
  let segs = token.replace(SOURCE_EXT, '').split('/');
  if (segs.at(-1) === 'index' && segs.length > 1) segs = segs.slice(0, -1);
  // relative and alias prefixes (`../`, `@app/`, `~/`) are how a specifier reaches the module
  while (segs.length > 1 && (segs[0] === '' || segs[0] === '.' || segs[0] === '..' || /^[@~]/.test(segs[0]!))) segs = segs.slice(1);
  if (segs.length === 0 || segs.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  if (segs.length === 1 && !hasExt && !DISTINCTIVE.test(segs[0]!)) return undefined;
  for (const m of vocab.modules) {
    if (segs.length > m.segments.length) continue;
    const tail = m.segments.slice(m.segments.length - segs.length);
    if (tail.every((s, i) => s === segs[i])) return m.id;
  }
  return undefined;
}

/** Every mention of `vocab` in `text`, in order; none overlap. */
export function findMentions(text: string, vocab: LegacyVocabulary): Mention[] {
  const out: Mention[] = [];
  const taken: Array<[number, number]> = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && a < e);
  for (const m of text.matchAll(URL)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    const start = m.index;
    const end = start + url.length;
    taken.push([start, end]);
    const inner = findMentions(url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, (h) => ' '.repeat(h.length)), vocab);
    if (inner.length) out.push({ start, end, text: url, kind: 'url', names: inner.map((i) => i.names).join(', ') });
  }
  for (const m of text.matchAll(PATH_TOKEN)) {
    // a sentence's full stop is not part of the path
    const token = m[0].replace(/[.\-/]+$/, '');
    const start = m.index;
    const end = start + token.length;
    if (!free(start, end)) continue;
    const id = moduleOfPath(token.replace(/^[.\-]+(?=[^./])/, ''), vocab);
    if (id !== undefined) {
      out.push({ start, end, text: token, kind: 'module', names: id });
      taken.push([start, end]);
    }
  }
  for (const term of vocab.terms) {
    const re = new RegExp(`(?<![\\w$])${escapeRegExp(term).replace(/\s+/g, '\\s+')}(?![\\w$])`, 'gi');
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!free(start, end)) continue;
      out.push({ start, end, text: m[0], kind: 'term', names: term });
      taken.push([start, end]);
    }
  }
  for (const m of text.matchAll(IDENT)) {
    const start = m.index;
    const end = start + m[0].length;
    const entry = vocab.names.get(m[0]);
    if (!entry || !free(start, end)) continue;
    out.push({ start, end, text: m[0], kind: 'name', names: m[0], ...(entry.canonical !== undefined ? { canonical: entry.canonical } : {}), ...(entry.aliasOf !== undefined ? { aliasOf: entry.aliasOf } : {}) });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Does `text` mention a legacy name or module? */
export function mentionsLegacy(text: string, vocab: LegacyVocabulary): boolean {
  return findMentions(text, vocab).length > 0;
}

/** The TODO(ssot) marker: what remove-adapters writes where it will not guess, and what blocks remove-shim. */
import type { SsotManifest } from '../../manifest/types.js';
import type { ReviewItem } from '../phase/types.js';
import { normalizeId } from '../engine/module-id.js';
import { templatedNames } from '../../manifest/field-members.js';
import { legacyModuleOwners } from './modules.js';

export const TODO_MARKER = 'TODO(ssot)';

/**
 * `// TODO(ssot): <note>` at the given indentation; with `about` (the class, `Class.member` or
 * function the note is about, as the manifest names it) `// TODO(ssot)[Class.member]: <note>`, so
 * the verdict counts the marker against the ids that name it only (markerIds). On one line: a note
 * quoting code (an argument written over several lines) has its line breaks folded to spaces — a
 * line comment ends at the first one, and the quoted code after it would be code
 * (kurosakixgod/hono-backend-messenger: an object-literal argument quoted in a marker broke its
 * file, which the type guard then withdrew).
 */
export function todoComment(note: string, indent = '', about?: string): string {
  return `${indent}// ${TODO_MARKER}${about ? `[${about}]` : ''}: ${note.replace(/[ \t]*[\r\n\u2028\u2029]+[ \t]*/g, ' ')}`;
}

export function hasTodoMarker(text: string): boolean {
  return text.includes(TODO_MARKER);
}

/** The subject a marker line names (`TODO(ssot)[Notifier.send]` → `Notifier.send`); undefined for a marker that names none. */
export function markerSubject(line: string): string | undefined {
  const at = line.indexOf(TODO_MARKER);
  if (at < 0) return undefined;
  return /^\[([^\]\s]+)\]/.exec(line.slice(at + TODO_MARKER.length))?.[1];
}

/** A marker line; `about` is the subject it names, if any; `ids` the deprecation ids it concerns (undefined: every id, markerIds). */
export interface MarkerItem extends ReviewItem {
  about?: string;
  ids?: readonly string[];
}

/** Whether a marker counts against `id`: one naming no subject the manifest knows counts against every id. */
export function markerConcerns(m: MarkerItem, id: string): boolean {
  return m.ids === undefined || m.ids.includes(id);
}

/** Every line carrying the marker, in the given files (source files: docs that talk about the marker are not code). */
export function todoMarkers(files: readonly string[], read: (f: string) => string | undefined): MarkerItem[] {
  const out: MarkerItem[] = [];
  for (const file of files) {
    const text = read(file);
    if (text === undefined || !hasTodoMarker(text)) continue;
    text.split('\n').forEach((l, i) => {
      if (!hasTodoMarker(l)) return;
      const about = markerSubject(l);
      out.push({ file, line: i + 1, message: l.trim(), ...(about ? { about } : {}) });
    });
  }
  return out;
}

/**
 * The deprecation ids a marker concerns: those owning a module the manifest names its subject in
 * (a `classes[]`, adapter, construction, split or statics class; a `functions[]` function; an
 * `instances[]` name; a factory entry; a legacy module's `symbols` key; or an id itself).
 * undefined — the marker names nothing, or nothing the manifest knows — means every id: a marker
 * written before markers named their subject keeps blocking everything, as it always did.
 */
export function markerIds(manifest: SsotManifest, about: string | undefined): string[] | undefined {
  if (about === undefined) return undefined;
  const all = new Set([...manifest.legacy.map((l) => l.id), ...manifest.adapters.map((a) => a.id), ...(manifest.factory ? [manifest.factory.id] : [])]);
  if (all.has(about)) return [about];
  const head = about.split('.')[0]!;
  const modules = new Set<string>();
  const ids = new Set<string>();
  for (const c of manifest.classes) if (c.class === head) modules.add(c.module);
  for (const c of manifest.constructions ?? []) if (c.class === head) modules.add(c.module);
  for (const s of manifest.splits) if (s.class === head) modules.add(s.module);
  for (const f of manifest.functions) if (templatedNames(f.templates).has(head)) modules.add(f.module);
  for (const x of manifest.instances ?? []) if (x.name === head) modules.add(x.module);
  for (const l of manifest.legacy) if (Object.hasOwn(l.symbols, head)) ids.add(l.id);
  for (const a of manifest.adapters) if (a.class === head) ids.add(a.id);
  for (const e of manifest.factory?.entries ?? []) if (e.call.split('.')[0] === head) ids.add(manifest.factory!.id);
  // `src/ws` and `src/ws/index` name the same module
  const key = (m: string): string => normalizeId(m).replace(/\/index$/, '');
  const wanted = new Set([...modules].map(key));
  for (const [m, owned] of legacyModuleOwners(manifest)) if (wanted.has(key(m))) for (const id of owned) ids.add(id);
  return ids.size ? [...ids] : undefined;
}

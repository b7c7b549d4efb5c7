/** Which modules the manifest names as legacy, and which deprecation ids own each. */
import type { SsotManifest } from '../../manifest/types.js';
import { normalizeId } from '../engine/module-id.js';

/** Module id → the deprecation ids it belongs to (legacy modules, adapter modules, factory entry modules). */
export function legacyModuleOwners(manifest: SsotManifest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (mod: string, id: string) => {
    const key = normalizeId(mod);
    const ids = out.get(key) ?? [];
    if (!ids.includes(id)) ids.push(id);
    out.set(key, ids);
  };
  for (const l of manifest.legacy) add(l.module, l.id);
  for (const a of manifest.adapters) add(a.module, a.id);
  for (const e of manifest.factory?.entries ?? []) add(e.module, manifest.factory!.id);
  return out;
}

/** Every deprecation id of the manifest, in declaration order. */
export function deprecationIds(manifest: SsotManifest): string[] {
  return [...manifest.legacy.map((l) => l.id), ...manifest.adapters.map((a) => a.id), ...(manifest.factory ? [manifest.factory.id] : [])];
}

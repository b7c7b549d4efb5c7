/**
 * What discover says early that a later phase would otherwise say late: the legacy modules
 * strangle will refuse (strangle/refusal.ts, the same decision strangle acts on) and the
 * extensionless Node scripts that reach a legacy module (legacy-use's answer, the one remove-shim's
 * gate counts). Both are asked, never searched again here.
 */
import { nodeScriptImports } from '../legacy-use/index.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { legacyModuleIds, moduleFiles } from '../strangle/layout.js';
import { strangleRefusals } from '../strangle/refusal.js';
import type { Inventory } from './inventory.js';

/** discover's inventory: the snapshot's one scan, with the early warnings. */
export async function discoverInventory(snapshot: RepoSnapshot): Promise<Inventory> {
  const inv = await snapshot.inventory();
  const modules = moduleFiles(legacyModuleIds(snapshot.manifest), snapshot.repoFiles);
  return { ...inv, strangleRefusals: strangleRefusals(modules, (f) => snapshot.read(f)), nodeScripts: nodeScriptImports(snapshot) };
}

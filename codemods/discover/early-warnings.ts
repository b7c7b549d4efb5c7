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

/**
 * discover's inventory: the snapshot's one scan, with the early warnings. `read`: the caller's
 * reader, so a file its other passes read too is read once (snapshot.memoReader).
 */
export async function discoverInventory(snapshot: RepoSnapshot, read: (file: string) => string | undefined = (f) => snapshot.read(f)): Promise<Inventory> {
  const inv = await snapshot.inventory();
  const modules = moduleFiles(legacyModuleIds(snapshot.manifest), snapshot.repoFiles);
  return { ...inv, strangleRefusals: strangleRefusals(modules, read), nodeScripts: nodeScriptImports(snapshot, read) };
}

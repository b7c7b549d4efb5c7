/** Public surface of codemods/: run a phase's transform on a repo, and the pieces tests and the runner use. */
export { runTransform, isTransformPhase, TRANSFORM_PHASES, type TransformPhase, type TransformOptions, type TransformReport } from './run.js';
export type { FileReport, FileStatus, Problem, Edit } from './engine/types.js';
export type { Inventory, InventoryDeclaration } from './discover/inventory.js';
export type { ImportSite, Declaration, SiteForm } from './discover/scan.js';
export { buildPhaseContext, type PhaseContext } from './engine/context.js';
export { runSyntaxPhase } from './engine/run.js';
export { rewriteImportsTransform } from './rewrite-imports/transform.js';
export { applyEdits } from './engine/edits.js';
// Phase planners for the runner (PhasePlanner). Loaded on use: ts-morph is heavy.
export const planStrangle: import('../scripts/runner/plan.js').PhasePlanner = async (repo, manifest) => (await import('./strangle/index.js')).planStrangle(repo, manifest);
export const planRemoveAdapters: import('../scripts/runner/plan.js').PhasePlanner = async (repo, manifest) => (await import('./remove-adapters/index.js')).planRemoveAdapters(repo, manifest);
export const planRemoveShim: import('../scripts/runner/plan.js').PhasePlanner = async (repo, manifest) => (await import('./remove-shim/index.js')).planRemoveShim(repo, manifest);
export { transformPlanner, countEdits } from './plan.js';
export { inventoryMarkdown } from './discover/inventory.js';

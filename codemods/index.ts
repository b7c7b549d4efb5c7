/**
 * Public surface of codemods/: the phase contract and registry, the repo snapshot, running one
 * phase on a repo, the legacy-use answers, and the pieces tests and the runner use.
 */
export type { Phase, PhasePlan, FileWrite, ReviewItem, RepoFigures, PhaseOptionSpec, PhaseOptionType, PhaseOptionValues } from './phase/types.js';
export { BUILTIN_PHASES, builtinPhase, phasesMarkdown } from './phase/registry.js';
export { resolvePhaseOrder, didYouMean, type PhaseOrder, type PhaseEntry } from './phase/order.js';
export { resolvePhaseOptions, optionsHelp, camelCase, PhaseOptionError } from './phase/options.js';
export { customPhase, CustomPhaseError, type CustomPhaseInput, type CustomPhaseResult, type CustomPhaseModule } from './phase/custom.js';
export { countEdits } from './phase/report.js';
export { RepoSnapshot, snapshotStats, figuresOf, type ScanResult } from './snapshot/snapshot.js';
export { runTransform, type TransformOptions, type TransformReport } from './run.js';
export { legacyUse, globalScripts, type GlobalScript, legacyComments, legacyCommentsOf, repoVocabulary, legacyVocabulary, findMentions, mentionsLegacy, type CommentMention, type CommentEdit, type LegacyVocabulary, type Mention, verdictFor, TODO_MARKER, hasTodoMarker, todoMarkers, markerConcerns, type MarkerItem, deprecationIds, legacyModuleOwners, describeTelemetryVerdict, telemetryVerdicts, DEFAULT_WINDOW_MS, type LegacyUseReport, type LegacyImport, type Verdict, type VerdictCheck, type IdVerdict, type VerdictReport, type TelemetryVerdict } from './legacy-use/index.js';
export { moduleReferences, referenceSites, SITE_FORMS, type SiteForm, type ModuleReference, type ReferenceKind } from './engine/import-forms.js';
export type { FileReport, FileStatus, Problem, Edit } from './engine/types.js';
export type { Inventory, InventoryDeclaration } from './discover/inventory.js';
export type { ImportSite, Declaration } from './discover/scan.js';
export { inventoryMarkdown, inventoryJson, duplicatePhrase, describeScriptImport, INVENTORY_JSON, INVENTORY_MD } from './discover/inventory.js';
export { planDiscover } from './discover/plan.js';
export { discoverInventory } from './discover/early-warnings.js';
export { strangleReadiness, strangleRefusals, describeRefusal, type StrangleReadiness, type StrangleRefusal } from './strangle/refusal.js';
export { buildPhaseContext, type PhaseContext } from './engine/context.js';
export { runSyntaxPhase } from './engine/run.js';
export { rewriteImportsTransform } from './rewrite-imports/transform.js';
export { REMOVE_SHIM_TRAILERS } from './remove-shim/trailers.js';
export { applyEdits } from './engine/edits.js';
/** How this thread loaded typescript.js: from its V8 code cache ('hit') or not and why (the bench's notes say which). */
export { codeCache as typescriptCodeCache } from './engine/ts-api.js';

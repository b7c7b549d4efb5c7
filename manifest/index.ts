/** Public surface of manifest/: the ssot.config.json types, loader and schema. */
export * from './types.js';
// Type-only names go in separate `export type` statements: tsc copies an inline `type` modifier
// into the .d.ts, which TypeScript < 4.5 cannot parse (test/package/declaration-syntax.test.ts).
export { ManifestError, MANIFEST_FILE, loadManifest, parseManifest, manifestStats } from './load.js';
export type { ManifestIssue } from './load.js';
export {
  manifestSchema,
  manifestJsonSchema,
  formatPath,
  canonicalSpecSchema,
  legacyModuleSchema,
  adapterSpecSchema,
  factorySpecSchema,
  factoryEntrySchema,
  constructionSpecSchema,
  instanceSpecSchema,
  duplicateTypeSpecSchema,
  verifySpecSchema,
  commentsSpecSchema,
  customPhaseSpecSchema,
} from './schema.js';
export { registrationMembers, templateRegisters } from './registration.js';
export { commandRunsNoTests, verifyTestRunsNoTests } from './test-command.js';
export type { NoTestKind } from './test-command.js';
export { parsePublicReplacement } from './public-api.js';
export type { PublicReplacement } from './public-api.js';
export { HUB_EXPORT, usesHub, expandTemplate, templateUses, fillTemplate, templateToMapping, memberTemplateToFunction, templateFreeNames, asOperand, isOperandSafe } from './templates.js';
export type { TemplateBinding, TemplateUses, PlaceholderName } from './templates.js';

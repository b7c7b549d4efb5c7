/** Public surface of manifest/: the ssot.config.json types, loader and schema. */
export * from './types.js';
export { ManifestError, MANIFEST_FILE, loadManifest, parseManifest, manifestStats, type ManifestIssue } from './load.js';
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
export { parsePublicReplacement, type PublicReplacement } from './public-api.js';
export { HUB_EXPORT, usesHub, expandTemplate, templateUses, fillTemplate, templateToMapping, memberTemplateToFunction, templateFreeNames, asOperand, isOperandSafe, type TemplateBinding, type TemplateUses, type PlaceholderName } from './templates.js';

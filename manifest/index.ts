/** Public surface of manifest/: the ssot.config.json types, loader and schema. */
export * from './types.js';
export { ManifestError, MANIFEST_FILE, loadManifest, parseManifest, type ManifestIssue } from './load.js';
export {
  manifestSchema,
  manifestJsonSchema,
  formatPath,
  canonicalSpecSchema,
  legacyModuleSchema,
  adapterSpecSchema,
  factorySpecSchema,
  factoryEntrySchema,
  duplicateTypeSpecSchema,
  verifySpecSchema,
} from './schema.js';

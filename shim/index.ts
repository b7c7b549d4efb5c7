/**
 * ssot-migrate/shim: the strangler layer. Legacy entry points stay callable, routed per
 * deprecation id (canonical | legacy | strict | shadow), with call-site telemetry and live toggles.
 */
export { DeprecatedApiError, ShimConfigError, UnmappedMemberError } from './errors.js';
export type { CallSiteInfo } from './call-site.js';
export { captureCallSite, registerFacadeFile, formatCallSite } from './call-site.js';
export type { ShimMode, ModeFlip, ModeSource, FlipListener } from './modes.js';
export { SHIM_MODES, DEFAULT_MODE, WILDCARD, ModeRegistry, isShimMode, parseModeSpec } from './modes.js';
export type { DeprecationNotice, WarningEmitter } from './warnings.js';
export { DeprecationWarnings } from './warnings.js';
export type { SiteRecord, TelemetryLine, TelemetryOptions } from './telemetry.js';
export { Telemetry } from './telemetry.js';
export type { JsonlSinkOptions } from './telemetry-sink.js';
export { JsonlSink } from './telemetry-sink.js';
export type { IdSummary, SiteSummary, TelemetryReport } from './telemetry-report.js';
export { aggregateTelemetry, buildTelemetryReport, formatTelemetryReport, isCoverageLine, parseTelemetryRecord, readTelemetry } from './telemetry-report.js';
export type { CoverageLine, ProcessIdentity } from './coverage.js';
export { Coverage, installedIds, noteInstalled, processIdentity } from './coverage.js';
export type { ExitFlush, ExitFlusher } from './exit-hooks.js';
export { onProcessEnd } from './exit-hooks.js';
export * from './evidence/index.js';
export type { TogglesDocument, ToggleResult } from './toggles-file.js';
export { DEFAULT_FLIP_LOG_FILE, DEFAULT_TOGGLES_FILE, MAX_TOGGLES_FILE_BYTES, defaultFlipLogPath, defaultTogglesPath, readTogglesFile, setToggle, writeTogglesFile } from './toggles-file.js';
export type { TogglesWatcher, TogglesWatchOptions } from './toggles-watch.js';
export { watchTogglesFile } from './toggles-watch.js';
export type { ShimRuntime, ShimRuntimeOptions } from './runtime.js';
export { createShimRuntime, getShimRuntime, setShimRuntime, runtimeOptionsFromEnv } from './runtime.js';
export * from './proxies/index.js';

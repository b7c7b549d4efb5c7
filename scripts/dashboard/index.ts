/** Public surface of scripts/dashboard: the live deprecation-telemetry dashboard. */
export { startDashboard, DEFAULT_PORT, type Dashboard, type DashboardOptions } from './server.js';
export type { DashboardView, IdView, SiteView, Verdict, VerdictCheck } from './view.js';
export { buildView, verdictFor } from './view.js';
export { ModeController, defaultFlipLogPath, type FlipEntry } from './flips.js';
export { TelemetryStore, type SeriesView } from './store.js';
export { JsonlTail } from './tail.js';
export { LiveTelemetrySource } from './live-source.js';
export { tokenMatches, bearerToken, envToken } from './auth.js';
export { createHostCheck, parseHostHeader, isLiteralLoopback, DEFAULT_ALLOWED_HOSTS } from './host-check.js';

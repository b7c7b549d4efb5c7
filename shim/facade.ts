/**
 * ssot-migrate/shim/facade: what a facade written by strangle imports (the define* proxies and
 * canonicalTable), without the telemetry readers, evidence sources and toggles file tools of
 * the full shim entry, so a user's type check loads only these declarations.
 */
export * from './proxies/index.js';

/**
 * Telemetry evidence and the verdict built on it: per deprecation id *in use*, *unused* or
 * *unknown*, from JSONL files or a Prometheus server, with the same logic for both.
 */
export type { CoverageGap, CoverageInstance, CoveredSpan, Evidence, EvidenceSource, EvidenceWindow, RunEnd, Span, UseEvidence } from './types.js';
export type { IdVerdict, InstanceCoverage, Verdict, VerdictReport } from './verdict.js';
export { formatVerdicts, holesIn, judge, unionSpans } from './verdict.js';
export { FileEvidenceSource, evidenceFromTelemetry } from './files.js';
export type { PrometheusSourceOptions } from './prometheus.js';
export { PrometheusEvidenceSource } from './prometheus.js';
export { isPrometheusSpec, legacyVerdicts, openEvidenceSource, prometheusSource, windowEnding } from './source.js';

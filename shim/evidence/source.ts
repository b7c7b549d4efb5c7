/**
 * Where telemetry evidence comes from, named the way a user types it:
 *   FILES/DIRS…                                the JSONL files (single host; the default)
 *   prometheus+http://HOST:PORT[/prefix][?job=NAME]   a Prometheus server's HTTP API (a fleet)
 *   prometheus+https://…                       the same over TLS
 */
import { FileEvidenceSource } from './files.js';
import { PrometheusEvidenceSource } from './prometheus.js';
import type { PrometheusSourceOptions } from './prometheus.js';
import type { EvidenceSource, EvidenceWindow } from './types.js';
import type { VerdictReport } from './verdict.js';
import { judge } from './verdict.js';

const PROMETHEUS = /^prometheus\+(https?):\/\/(.+)$/;

export function isPrometheusSpec(spec: string): boolean {
  return PROMETHEUS.test(spec);
}

/** Parses one Prometheus spec; a clear error names what is wrong. */
export function prometheusSource(spec: string, options: PrometheusSourceOptions = {}): PrometheusEvidenceSource {
  const m = PROMETHEUS.exec(spec);
  if (!m) throw new Error(`telemetry source ${JSON.stringify(spec)}: expected prometheus+http://HOST:PORT`);
  let url: URL;
  try {
    url = new URL(`${m[1]}://${m[2]}`);
  } catch {
    throw new Error(`telemetry source ${JSON.stringify(spec)}: not a URL after "prometheus+"`);
  }
  const matchers: string[] = [];
  for (const [k, v] of url.searchParams) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) throw new Error(`telemetry source ${JSON.stringify(spec)}: ${JSON.stringify(k)} is not a label name`);
    matchers.push(`${k}=${JSON.stringify(v)}`);
  }
  return new PrometheusEvidenceSource(`${url.protocol}//${url.host}${url.pathname}`, { ...options, ...(matchers.length ? { matchers: matchers.join(',') } : {}) });
}

/** One Prometheus spec, or any number of JSONL files/directories. */
export function openEvidenceSource(specs: string | readonly string[], options: PrometheusSourceOptions = {}): EvidenceSource {
  const list = typeof specs === 'string' ? [specs] : [...specs];
  if (list.length === 0) throw new Error('telemetry source: give JSONL files/directories or prometheus+http://HOST:PORT');
  const prom = list.filter(isPrometheusSpec);
  if (prom.length > 0) {
    if (list.length > 1) throw new Error('telemetry source: a Prometheus URL stands alone (not mixed with files or a second URL)');
    return prometheusSource(prom[0]!, options);
  }
  return new FileEvidenceSource(list);
}

/** Reads the evidence for a window and judges each id (shim/evidence/verdict.ts). */
export async function legacyVerdicts(source: EvidenceSource, ids: readonly string[], window: EvidenceWindow): Promise<VerdictReport> {
  return judge(await source.collect(window), ids);
}

/** The window of `ms` ending now (or at `to`). */
export function windowEnding(ms: number, to = Date.now()): EvidenceWindow {
  return { from: to - ms, to };
}

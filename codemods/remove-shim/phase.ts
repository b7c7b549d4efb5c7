/** Phase 5 as a Phase: its telemetry gate's inputs are declared options, passed as data. */
import type { Phase } from '../phase/types.js';

export const removeShimPhase: Phase = {
  name: 'remove-shim',
  description: 'once every deprecation id is safe to delete (no import left, no TODO(ssot) marker, telemetry verdict unused over the window), delete the facades and frozen legacy code',
  options: [
    { name: 'telemetry', type: 'string[]', placeholder: 'FILES|prometheus+http://HOST:PORT', description: 'where the gate reads use and coverage: shim telemetry JSONL files or folders (repo-relative or absolute), or a Prometheus server scraping the shim' },
    { name: 'window', type: 'duration', placeholder: '30d', description: 'the window the telemetry must cover with no call (e.g. 30d, 12h); default 30d' },
    { name: 'without-telemetry', type: 'string', placeholder: 'REASON', description: 'delete without telemetry, saying why; the reason goes into the commit trailers (without it and without --telemetry the gate refuses). Beside --telemetry it accepts the ids the telemetry calls unknown; in use still refuses' },
  ],
  plan: async (snapshot, options) =>
    (await import('./index.js')).planRemoveShim(snapshot, {
      ...(Array.isArray(options.telemetry) ? { telemetry: options.telemetry as string[] } : {}),
      ...(typeof options.window === 'number' ? { windowMs: options.window } : {}),
      ...(typeof options.withoutTelemetry === 'string' ? { withoutTelemetry: options.withoutTelemetry } : {}),
    }),
};

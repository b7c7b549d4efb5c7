/** Phase 5 as a Phase: its telemetry gate's inputs are declared options, passed as data. */
import type { Phase } from '../phase/types.js';

export const removeShimPhase: Phase = {
  name: 'remove-shim',
  description: 'once every deprecation id is safe to delete (no import left, no TODO(ssot) marker, no use in the telemetry), delete the facades and frozen legacy code',
  options: [
    { name: 'telemetry', type: 'string[]', placeholder: 'FILES', description: 'shim telemetry JSONL files or folders (repo-relative or absolute) the gate reads; without it the telemetry check is skipped' },
    { name: 'window', type: 'duration', placeholder: '30d', description: 'only use last seen within this window counts (e.g. 30d, 12h); default: every recorded use' },
  ],
  plan: async (snapshot, options) =>
    (await import('./index.js')).planRemoveShim(snapshot, {
      ...(Array.isArray(options.telemetry) ? { telemetry: options.telemetry as string[] } : {}),
      ...(typeof options.window === 'number' ? { windowMs: options.window } : {}),
    }),
};

/**
 * `/metrics`: the dashboard's view of the aggregated telemetry in Prometheus text (prom-client),
 * computed from the latest view at scrape time. Names carry `ssot_dashboard_` so they never
 * collide with the shim's own `ssot_shim_` metrics, which --live appends from the app's registry.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { SHIM_MODES } from '../../shim/modes.js';
import type { DashboardView } from './view.js';

export function dashboardRegistry(view: () => DashboardView, clients: () => number): Registry {
  const registry = new Registry();
  const perId = (name: string, help: string, pick: (v: DashboardView['ids'][number]) => number, kind: 'counter' | 'gauge' = 'gauge') => {
    const Metric = kind === 'counter' ? Counter : Gauge;
    new Metric({
      name,
      help,
      labelNames: ['id'] as const,
      registers: [registry],
      collect(this: Counter<'id'> | Gauge<'id'>) {
        this.reset();
        for (const v of view().ids) {
          if (this instanceof Counter) this.inc({ id: v.id }, pick(v));
          else this.set({ id: v.id }, pick(v));
        }
      },
    });
  };
  new Counter({
    name: 'ssot_dashboard_calls_total',
    help: 'Legacy entry-point uses seen in telemetry, by id and the mode they ran in.',
    labelNames: ['id', 'mode'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const v of view().ids) for (const [mode, n] of Object.entries(v.modesSeen)) this.inc({ id: v.id, mode }, n ?? 0);
    },
  });
  perId('ssot_dashboard_method_calls_total', 'Method calls on legacy instances seen in telemetry.', (v) => v.methodCalls, 'counter');
  perId('ssot_dashboard_window_uses', 'Uses (calls + method calls) inside the dashboard window.', (v) => v.usesInWindow);
  perId('ssot_dashboard_distinct_sites', 'Distinct call sites seen per id.', (v) => v.distinctSites);
  perId('ssot_dashboard_last_seen_timestamp_seconds', 'When the id was last used.', (v) => (v.lastSeen ? Date.parse(v.lastSeen) / 1000 : 0));
  perId('ssot_dashboard_safe_to_delete', '1 when every safe-to-delete check passes.', (v) => (v.verdict.safe ? 1 : 0));
  new Gauge({
    name: 'ssot_dashboard_mode',
    help: 'Current shim mode per id (1 for the mode in force).',
    labelNames: ['id', 'mode'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const v of view().ids) for (const mode of SHIM_MODES) this.set({ id: v.id, mode }, v.mode === mode ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ssot_dashboard_flips',
    help: 'Flips in the flip log (kept entries).',
    registers: [registry],
    collect() {
      this.set(view().flips.length);
    },
  });
  new Gauge({
    name: 'ssot_dashboard_telemetry_lines',
    help: 'Telemetry lines held (after merging).',
    registers: [registry],
    collect() {
      this.set(view().source.lines);
    },
  });
  new Gauge({
    name: 'ssot_dashboard_malformed_lines',
    help: 'Telemetry lines skipped as malformed.',
    registers: [registry],
    collect() {
      this.set(view().source.skipped);
    },
  });
  new Gauge({
    name: 'ssot_dashboard_clients',
    help: 'Open live-update WebSocket connections.',
    registers: [registry],
    collect() {
      this.set(clients());
    },
  });
  return registry;
}

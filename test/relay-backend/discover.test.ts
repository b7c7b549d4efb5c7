/**
 * discover lists what the manifest makes legacy (issue #16), not what a name pattern matches:
 * relay-backend's manager, its alias, its factory and its adapter have none of the old
 * Manager/Protocol/Mode/Notifier/Adapter names. Read-only run of the CLI on the example: the built
 * CLI (dist/, as an installed package runs it), not the checkout's bin (the sources through tsx).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILT_CLI } from '../runner/cli-process.js';

const TOOLKIT = fileURLToPath(new URL('../../', import.meta.url));

describe('discover on relay-backend', () => {
  it('lists the manager, the alias, the factory and the adapter from the manifest; names elsewhere only as suggestions', () => {
    const out = execFileSync(process.execPath, [BUILT_CLI, 'discover', '--repo', `${TOOLKIT}examples/relay-backend`, '--json'], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const inv = JSON.parse(out) as { declarations: { name: string; kind: string; file: string; suggestion?: true }[] };
    const at = (name: string) => inv.declarations.filter((d) => d.name === name).map((d) => `${d.kind} ${d.file}${d.suggestion ? ' (suggestion)' : ''}`);
    expect(at('RealtimeHub')).toEqual(['class src/realtime/hub.ts']);
    expect(at('Hub')).toEqual(['type src/compat/socket-hub.ts']);
    expect(at('HubRegistry')).toEqual(['class src/realtime/registry.ts']);
    expect(at('RunEventPusher')).toEqual(['class src/realtime/pusher.ts']);
    // a second HubMode outside the legacy modules: listed because the manifest names it (duplicateTypes)
    expect(at('HubMode')).toEqual(['enum src/config/runtime.ts (suggestion)', 'enum src/realtime/hub.ts']);
    // nothing is listed for matching an old name pattern
    expect(inv.declarations.filter((d) => d.suggestion && !['HubMode'].includes(d.name))).toEqual([]);
  }, 120_000);
});

// Ops script from before the ESM switch (`node dist/legacy/presence-report.cjs` printed who
// was online); the on-call runbook still links it. CommonJS: a .cts file under NodeNext.
/* eslint-disable @typescript-eslint/no-require-imports */
const { HubRegistry } = require('../realtime/registry') as typeof import('../realtime/registry.js');

export function presenceReport(): string {
  const hub = HubRegistry.shared();
  const users = hub.listConnectedUsers();
  const lines = users.map((user) => `  ${user}: ${hub.connectionCount(user)} socket(s)`);
  return [`${users.length} user(s) online, ${hub.connectionCount()} socket(s), mode ${hub.health().mode}`, ...lines].join('\n');
}

if (require.main === module) console.log(presenceReport());

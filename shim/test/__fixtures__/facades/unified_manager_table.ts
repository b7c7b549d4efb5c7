// The canonical-mode table strangle generates for legacy-app's UnifiedWebSocketManager from
// examples/legacy-app/ssot.config.json classes[] (codemods/strangle memberTemplateToFunction).
// A test fixture: the shim's own source knows no legacy API.
import type * as frozen from '../../../../examples/legacy-app/src/websocket_core/unified_manager.js';
import { canonicalTable } from '../../../index.js';

/** UnifiedWebSocketManager in canonical mode, generated from ssot.config.json classes[]. */
export const canonicalUnifiedWebSocketManager = canonicalTable<frozen.UnifiedWebSocketManager>({
  methods: {
    addConnection: (self, a1) => self.user(a1.userId).addConnection(a1),
    removeConnection: (self, a1) => ((c) => (c && (!self.context || c.userId === self.context.userId) ? self.user(c.userId).removeConnection(a1) : Promise.resolve()))(self.hub.hub.getConnection(a1)),
    getConnection: (self, a1) => self.context ? self.user(self.context.userId).getConnection(a1) : self.hub.hub.getConnection(a1),
    getUserConnections: (self, a1) => self.user(a1).getUserConnections(a1),
    isConnectionActive: (self, a1) => self.user(a1).isConnectionActive(a1),
    getConnectionIdByWebSocket: (self, a1) => self.context ? self.user(self.context.userId).getConnectionIdByWebSocket(a1) : self.hub.hub.getConnectionIdBySocket(a1),
    updateConnectionThread: (self, a1, a2) => ((c) => (c ? self.user(c.userId).updateConnectionThread(a1, a2) : false))(self.hub.hub.getConnection(a1)),
    sendToUser: (self, a1, a2) => self.user(a1).sendToUser(a1, a2),
    emitCriticalEvent: (self, a1, a2, a3) => self.hub.emitTo(a1, a2, { threadId: self.context?.threadId, runId: self.context?.runId, ...a3 }),
    getConnectionHealth: (self, a1) => ((h) => ({ ...h, connections: h.connections.map((c) => ({ connectionId: c.connectionId, active: c.active, connectedAt: c.connectedAt, ...(c.threadId !== null ? { threadId: c.threadId } : {}) })) }))(self.user(a1).getConnectionHealth(a1)),
    sendToThread: (self, a1, a2) => self.context ? self.user(self.context.userId).sendToThread(a1, a2) : Promise.resolve(false),
    connectUser: (self, a1, a2, a3, a4) => ((id) => self.user(a1).addConnection({ connectionId: id, userId: a1, socket: a2, connectedAt: new Date(), ...(a4 !== undefined ? { threadId: a4 } : {}) }).then(() => id))(a3 ?? `conn_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`),
    disconnectUser: (self, a1, _a2, a3, a4) => Promise.all([...self.user(a1).getUserConnections(a1)].map((id) => { self.hub.hub.getConnection(id)?.socket.close?.(a3 ?? 1000, a4 ?? 'Normal closure'); return self.user(a1).removeConnection(id); })).then(() => undefined),
    isUserConnected: (self, a1) => self.user(a1).isConnectionActive(a1),
    sendAgentEvent: (self, a1, a2, a3) => self.hub.emitTo(a1, a2, { threadId: self.context?.threadId, runId: self.context?.runId, ...a3 }),
    broadcast: (self, a1) => Promise.resolve(self.hub.listConnectedUsers()).then((users) => { users.forEach((u) => self.hub.sendToUser(u, a1)); return users.length; }),
    getConnectionCount: (self) => self.hub.connectionCount(),
    getStats: (self) => ((s) => ({ totalConnections: s.connections, uniqueUsers: s.users, connectionsByUser: Object.fromEntries(self.hub.listConnectedUsers().map((u) => [u, self.hub.connectionCount(u)])) }))(self.hub.stats()),
    getFailedMessages: (_self) => [],
    shutdown: (self) => Promise.resolve(self.hub.disconnectAll()).then(() => undefined),
  },
  properties: {
    mode: (self) => self.hub.mode,
    userContext: (self) => self.context,
  },
  rebind: ['userContext'],
});

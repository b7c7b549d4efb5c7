// CommonJS island (a .cts file): the one place `import x = require()` is legal under NodeNext.
import unifiedManagerModule = require('../websocket_core/unified_manager');

export function legacyManagerMode(): string {
  return unifiedManagerModule.getWebSocketManager().mode;
}

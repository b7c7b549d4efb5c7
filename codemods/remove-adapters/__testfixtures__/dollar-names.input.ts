import type { UserExecutionContext } from '../services/user_execution_context.js';
import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';
import { getWebSocketManager } from '../legacy/manager.js';
import { $label, $t } from '../services/labels.js';

/** `$`-named bindings used only inside rewritten calls: the new code still names them, so their import stays. */
export async function labelled(ctx: UserExecutionContext): Promise<void> {
  const adapter = new WebSocketManagerAdapter(getWebSocketManager(ctx), ctx);
  await adapter.notifyAgentStarted($label);
  await adapter.notifyAgentCompleted($t('done'));
}

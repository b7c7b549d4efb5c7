import type { UserExecutionContext } from '../services/user_execution_context.js';
import { $label, $t } from '../services/labels.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

/** `$`-named bindings used only inside rewritten calls: the new code still names them, so their import stays. */
export async function labelled(ctx: UserExecutionContext): Promise<void> {
  const adapter = createWebSocketManager(ctx);
  await adapter.emit('agent_started', { agentName: $label });
  await adapter.emit('agent_completed', { status: 'completed', finalResponse: $t('done') });
}

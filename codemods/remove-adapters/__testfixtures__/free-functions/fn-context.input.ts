import { thinking } from '../legacy/ws';
import type { UserExecutionContext } from '../context';

export async function think(ctx: UserExecutionContext, text: string): Promise<void> {
  await thinking(ctx.userId, text);
}

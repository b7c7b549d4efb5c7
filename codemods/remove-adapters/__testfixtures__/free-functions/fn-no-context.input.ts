import { thinking } from '../legacy/ws';

export async function think(userId: string): Promise<void> {
  await thinking(userId, 'hmm');
}

import type { Notifier } from '../legacy/contract.js';

// an injected dependency typed by the legacy interface: each call stays on it ($m), converted
export async function ping(n: Notifier, userId: number): Promise<number> {
  const ok = await n.send(userId, 'hi');
  return (ok ? 1 : 0) + n.count!() + n.count!();
}

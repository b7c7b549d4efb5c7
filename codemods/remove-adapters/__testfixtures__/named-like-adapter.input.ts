// Named like an adapter, with the same method names, but of another type: left alone.
interface Notifier {
  notifyAgentStarted(name: string): Promise<void>;
}

export async function notify(adapter: Notifier, websocketManagerAdapter: { notifyAgentThinking(r: string): void }): Promise<void> {
  await adapter.notifyAgentStarted('x');
  websocketManagerAdapter.notifyAgentThinking('y');
}

// sendMessage is mentioned in this comment and must stay.
export function untouched(ws: { sendMessage: unknown; sendMessageLater(): void }) {
  const sendMessage = ws.sendMessage; // a read, not a call
  const label = 'sendMessage';
  ws.sendMessageLater();
  return { sendMessage, label };
}


// a member mapped to `undefined` does nothing any more: its call statements go, a value stays `undefined`
export async function onMessage(clientId: string, next: () => string): Promise<unknown> {
  next();
  return undefined;
}

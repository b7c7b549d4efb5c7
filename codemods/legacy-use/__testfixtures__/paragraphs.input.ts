/**
 * A local binding that collides with a canonical name: this file declares its own
 * `createWebSocketManager` (a test-double builder), while `getWebSocketManager` from the
 * legacy factory maps to the canonical `createWebSocketManager`. A rewrite must alias,
 * not shadow.
 */
export function collision(): void {}

/**
 * Two paragraphs: this one stands alone and stays.
 *
 * It gets its manager from the legacy factory. This sentence leans on the one before and goes
 * with it.
 *
 * Notes:
 * - one item names the compat module and goes alone;
 * - the next item stays.
 *
 * @param x stays; its description goes from the sentence naming the legacy factory. And what
 * follows it in the tag.
 * @returns nothing.
 */
export function paragraphs(x: number): void {
  void x;
}

export function collision(): void {}

/**
 * Two paragraphs: this one stands alone and stays.
 *
 * Notes:
 * - the next item stays.
 *
 * @param x stays.
 * @returns nothing.
 */
export function paragraphs(x: number): void {
  void x;
}

/*
 * Copyright (c) 2024 Example Corp.
 */
// CRLF line endings, a BOM and no import at all: the facade keeps both, and takes the quote of
// the module's string literals (double) and the end of its statements (semicolons).
export const CRLF_EVENTS = ["connected", "disconnected"] as const;

export function getCrlfManager(name: string = "crlf"): { name: string } {
  return { name };
}

export class CrlfManager {
  readonly kind = "crlf";
}

console.log("crlf-bom loaded");

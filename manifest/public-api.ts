/**
 * One item of `publicApi[].replacements`: what a public module exports instead of a legacy name,
 * written as the export list entry it becomes (`Name`, `type Name`, `Name as Public`). Read by the
 * loader (shape) and by the phases (codemods/engine/context.ts), so both agree on the syntax.
 */
export interface PublicReplacement {
  /** The canonical export. */
  name: string;
  /** The name the public module exports it as. */
  alias: string;
  /** Written `type Name`: re-exported as a type only. */
  typeOnly: boolean;
}

const ITEM = /^(type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/;

/** The parsed item, or undefined when it is not `Name`, `type Name` or `Name as Public`. */
export function parsePublicReplacement(item: string): PublicReplacement | undefined {
  const m = ITEM.exec(item.trim());
  if (!m || m[2] === 'type' || m[3] === 'default') return undefined;
  return { name: m[2]!, alias: m[3] ?? m[2]!, typeOnly: m[1] !== undefined };
}

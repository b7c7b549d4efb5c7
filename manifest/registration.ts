/**
 * Which members of a described class (or functions of a functions module) register or unregister
 * a connection: the shim runs those on both sides in every mode, so a runtime flip serves every
 * connection (shim/proxies/dual.ts). The manifest's `registration` names them; without it they are
 * found from the templates: a template that calls canonical's own registration operations — the
 * hub's `connect`, `disconnect`, `disconnectAll` (`$hub.…`, `$hub.hub.…`), a manager's
 * `addConnection` / `removeConnection` (`$user(x).…`, `$run(x).…`, `$hub.hub.…`). Those names are
 * canonical's API, not the legacy one's.
 */

const REGISTERS = /(?:\$hub(?:\s*\.\s*hub)?|\$(?:user|run)\s*\([^()]*\))\s*\.\s*(?:connect|disconnect|disconnectAll|addConnection|removeConnection)\s*\(/;

/** Whether one template registers or unregisters a connection (calls one of canonical's registration operations). */
export function templateRegisters(template: string): boolean {
  return REGISTERS.test(template);
}

/**
 * The registration members of an entry, in the templates' order: the explicit list when the entry
 * has one (`[]`: none), else the templated names (plain keys, not chains) whose template registers.
 * `exclude` drops names the shim serves from legacy code alone (they have no canonical side).
 */
export function registrationMembers(templates: Record<string, string>, explicit: readonly string[] | undefined, exclude: ReadonlySet<string> = new Set()): string[] {
  if (explicit !== undefined) return explicit.filter((n) => Object.hasOwn(templates, n) && !exclude.has(n));
  return Object.entries(templates)
    .filter(([name, template]) => !name.includes('.') && !exclude.has(name) && templateRegisters(template))
    .map(([name]) => name);
}

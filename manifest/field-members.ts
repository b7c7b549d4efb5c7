/**
 * Templates per member of a field (`classes[].members` keys with dots): a legacy class's field
 * that is a container of sockets (a `Map` of user id → socket) is used through its own members
 * (`this.sockets.set(id, ws)`, `this.sockets.get(id)!.send(data)`). A key `field.member` (or a
 * chain, `field.get.send`) templates that use alone, so the rewritten code is the one hub call
 * rather than a `Map`-shaped object written out at every use. The template stands for the value of
 * the chain up to its last member (its call included); the calls' arguments are `$1`, `$2`, … in
 * the order written, across the chain. One module reads the key form, so the manifest check, the
 * phases and the schema agree.
 *
 * The same key form templates a use of the RESULT of a call (a lookup that hands out a raw socket,
 * `getConnection(userId).send(frame)`): `functions[].templates["getConnection.send"]`,
 * `classes[].members["getSocket.send"]`, `classes[].statics["socketOf.send"]`. The first link is
 * then the call itself (its arguments come first), the rest are members of what it returns. A
 * lookup's chains are not one state like a field's: a use no chain covers takes the lookup's plain
 * template, or is marked alone.
 */

/** Any `classes[].members` key: a member name, or `field.member(.member…)` (identifiers joined by dots). */
export const MEMBER_KEY = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** A `classes[].members` key split into the class member and the chain of members of its value; `path` is empty for a plain member. */
export function memberKey(key: string): { field: string; path: string[] } {
  const [field, ...path] = key.split('.');
  return { field: field!, path };
}

/** Whether a `classes[].members` key templates a member of a field (has a dot); for `functions[].templates` / `statics`, a use of a call's result. */
export const isFieldMemberKey = (key: string): boolean => key.includes('.');

/** The entries of `members` that template class members themselves (no dot): what the shim routes and the class must declare. */
export function ownMembers(members: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(members).filter(([k]) => !isFieldMemberKey(k)));
}

/** The class members `members` templates, whole or per member of theirs (`sockets.set` → `sockets`). */
export function templatedMembers(members: Readonly<Record<string, string>>): Set<string> {
  return new Set(Object.keys(members).map((k) => memberKey(k).field));
}

/** Per field with per-member templates: chain (`get.send`) → template. */
export function fieldMemberTemplates(members: Readonly<Record<string, string>>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [key, template] of Object.entries(members)) {
    if (!isFieldMemberKey(key)) continue;
    const { field, path } = memberKey(key);
    const m = out.get(field) ?? new Map<string, string>();
    m.set(path.join('.'), template);
    out.set(field, m);
  }
  return out;
}

/**
 * The longest chain of `links` (the members read on the field, in order) that has a template, with
 * how many links it covers; undefined when no template covers even the first link.
 */
export function longestTemplatedChain(templates: ReadonlyMap<string, string>, links: readonly string[]): { length: number; template: string } | undefined {
  for (let n = links.length; n > 0; n--) {
    const template = templates.get(links.slice(0, n).join('.'));
    if (template !== undefined) return { length: n, template };
  }
  return undefined;
}

/** A templates table's entries for the name itself (no dot): what the shim serves and the manifest check finds declared. */
export const plainTemplates = ownMembers;

/** Per name with chain templates (a field, or a lookup whose result is used): chain (`send`, `get.send`) → template. */
export const chainTemplates = fieldMemberTemplates;

/** The names a templates table templates, plainly or through chains on them (`getConnection.send` → `getConnection`). */
export const templatedNames = templatedMembers;

import { describe, expect, it } from 'vitest';
import { expandTemplate, fillTemplate, memberTemplateToFunction, templateToMapping, templateUses } from './templates.js';

const staticBinding = (args: string[]) => ({
  arg: (n: number) => args[n - 1],
  placeholder: (p: string) => (p === 'hub' ? 'hubOperations()' : p === 'ctx' ? 'ctx' : `$${p}`),
  call: (p: 'user' | 'run', x: string) => `createWebSocketManager(${p === 'user' ? 'ctx' : x})`,
  parenthesize: true,
});

describe('member templates (one reader for the shim and the rewrite)', () => {
  it('replaces placeholders, never inside strings or property names', () => {
    expect(expandTemplate("$hub.sendToUser($1, { type: '$1', $2: x.$1 })", staticBinding(['u', 'e']))).toBe("hubOperations().sendToUser(u, { type: '$1', $2: x.$1 })");
  });

  it('renames a free identifier through the binding, never a property name or the text of a string', () => {
    const b = { ...staticBinding(['u']), identifier: (n: string) => (n === 'make' ? 'makeAlias' : undefined) };
    expect(expandTemplate("make($1, { make, label: 'make', make: x.make })", b)).toBe("makeAlias(u, { make: makeAlias, label: 'make', make: x.make })");
  });

  it('expands $user(x) / $run(x) as calls, with x expanded', () => {
    expect(expandTemplate('$user($1).sendToUser($1, $2)', staticBinding(['u', 'm']))).toBe('createWebSocketManager(ctx).sendToUser(u, m)');
    expect(expandTemplate('$run({ userId: $1 }).emit($2, $3)', staticBinding(['u', 't', 'd']))).toBe('createWebSocketManager({ userId: u }).emit(t, d)');
    expect(memberTemplateToFunction('$run({ userId: $1 }).emit($2, $3)', 'method')).toBe('(self, a1, a2, a3) => self.run({ userId: a1 }).emit(a2, a3)');
  });

  it('parenthesises an argument only where it would bind differently', () => {
    expect(expandTemplate('$user($1.id).send($1)', staticBinding(['a ? b : c']))).toBe('createWebSocketManager(ctx).send(a ? b : c)');
    expect(expandTemplate('$hub.isOnline($1.userId)', staticBinding(['a ? b : c']))).toBe('hubOperations().isOnline((a ? b : c).userId)');
  });

  it('a missing argument takes the ?? default; a literal argument drops it; other missing ones are undefined', () => {
    expect(expandTemplate("$hub.close($1, $2 ?? 1000)", staticBinding(['id']))).toBe('hubOperations().close(id, 1000)');
    expect(expandTemplate("$hub.close($1, $2 ?? 1000)", staticBinding(['id', '4000']))).toBe('hubOperations().close(id, 4000)');
    expect(expandTemplate("$hub.close($1, $2 ?? 1000)", staticBinding(['id', 'code']))).toBe('hubOperations().close(id, code ?? 1000)');
    expect(expandTemplate('$hub.close($1, $2)', staticBinding(['id']))).toBe('hubOperations().close(id)');
    expect(expandTemplate('$hub.close($2, $1)', staticBinding(['id']))).toBe('hubOperations().close(undefined, id)');
  });

  it('an argument written as undefined is a missing one (no dead `undefined ?? d` operand)', () => {
    expect(expandTemplate("$hub.close($1, $2 ?? 1000)", staticBinding(['id', 'undefined']))).toBe('hubOperations().close(id, 1000)');
    expect(expandTemplate('$hub.close($1, $2)', staticBinding(['id', ' undefined']))).toBe('hubOperations().close(id)');
  });

  it("writes the template's own string literals in the file's quote, never an argument's, never adding an escape", () => {
    const t = "$m.emit('agent_completed', { status: $2 ?? 'completed', text: $1, note: 'it\\'s', raw: `x` })";
    expect(fillTemplate(t, 'm', ["'a'"], '"')).toBe('m.emit("agent_completed", { status: "completed", text: \'a\', note: "it\'s", raw: `x` })');
    expect(fillTemplate(`$m.emit('say "hi"')`, 'm', [], '"')).toBe(`m.emit('say "hi"')`);
    expect(fillTemplate('$m.emit("a\\u00e9\\n", $1)', 'm', ['x'], "'")).toBe("m.emit('a\u00e9\\n', x)");
    expect(fillTemplate("$m.emit('a', $1)", 'm', ['x'])).toBe("m.emit('a', x)");
    expect(templateToMapping("$m.emit('a', $1)", '"')).toBe('(m, a1) => m.emit("a", a1)');
    expect(memberTemplateToFunction("'live'", 'property', 0, '"')).toBe('(_self) => "live"');
  });

  it('reports what a template uses', () => {
    const u = templateUses("{ ...$hub.health(), mode: $legacy.mode, u: $user($2), again: $2 }");
    expect([...u.names].sort()).toEqual(['hub', 'legacy', 'user']);
    expect(u.args.get(2)).toBe(2);
    expect(u.arity).toBe(2);
  });
});

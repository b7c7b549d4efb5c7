/**
 * Templates per member of a field (`classes[].members["peers.set"]`, a chain `"peers.get.send"`):
 * a legacy class's field that is a Map of sockets, used through its own members, is rewritten use
 * by use into the one hub call its template names. A use no per-member template covers takes the
 * field's template as a whole when there is one; otherwise it is marked and no use of that field is
 * rewritten (one state, not two stores). Non-split cases in __testfixtures__/field-members (outputs
 * typechecked); a split class in __testfixtures__/field-members-split.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';
import { splitFixtures } from '../../test/helpers/split-fixtures.js';

describe('remove-adapters: templates per member of a field', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/field-members', import.meta.url)));

  it('has the cases', () => {
    expect(fx.cases).toEqual(['fm-covered', 'fm-ctx', 'fm-ctx-boundary', 'fm-fallback', 'fm-held-marked', 'fm-optional-guarded', 'fm-optional-held', 'fm-optional-marked', 'fm-optional-shorter', 'fm-optional-tested', 'fm-stored', 'fm-stored-covered', 'fm-uncovered', 'fm-uncovered-elsewhere']);
  });

  fx.describeCases();

  it('covered: one hub call per use, the chain`s arguments in order, the legacy import gone', () => {
    const out = fx.outputOf('fm-covered');
    expect(out).toContain('hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame)));');
    expect(out).toContain('return hub.listConnectedUsers().length;');
    expect(out).not.toContain('registry.');
  });

  it('uncovered: the iteration is marked, the covered uses stay as written, listed with the use that holds them', () => {
    const out = fx.outputOf('fm-uncovered');
    expect(out).toContain('registry.guests.set(id, socket);');
    expect(out).toContain("registry.guests.get(id)!.send(JSON.stringify({ type: 'hello' }));");
    expect(out).not.toContain('hubOperations');
    const messages = fx.review('fm-uncovered').map((r) => r.message);
    expect(messages[0]).toMatch(/^Registry\.guests used as a value \(not through a member of it\) has no template in classes\[\]\.members \(guests has "guests\.set", "guests\.get\.send"\)/);
    expect(messages[1]).toMatch(/^Registry\.guests: no use of it is rewritten through its templates per member/);
  });

  it('uncovered elsewhere: a field held by a use in another file keeps its covered uses here as written', () => {
    expect(fx.outputOf('fm-uncovered-elsewhere')).toBe(fx.inputs.get(fx.fileOf('fm-uncovered-elsewhere')));
    // without the uncovered file, the same use is rewritten
    const alone = fx.run(new Map([[fx.fileOf('fm-uncovered-elsewhere'), fx.inputs.get(fx.fileOf('fm-uncovered-elsewhere'))!]]));
    expect(alone.changes[0]?.after).toContain('hubOperations().connect(id, socket, { connectionId: id });');
  });

  it('a `?.` that may skip the rest of the chain is crossed only with a template for the value it tests: with none, the use is marked and the field held (never half a field)', () => {
    const out = fx.outputOf('fm-optional-held');
    expect(out).toContain('  registry.links.get(id)?.send(JSON.stringify(frame));');
    expect(out).toContain('  registry.links.set(id, socket);');
    expect(out).toContain("  registry.spare?.get(id)!.send('{\"type\":\"nudge\"}');");
    expect(out).not.toContain('hubOperations');
    const messages = fx.review('fm-optional-held').map((r) => r.message);
    expect(messages).toEqual([
      expect.stringMatching(/^Registry\.links\.get\.send is reached through `\?\.send`, which runs the rest \(and its arguments\) only when Registry\.links\.get\(…\) is there, and no template gives that value to test: add one for "links\.get"/),
      expect.stringMatching(/^Registry\.spare\.get\.send is reached through `\?\.get`, .*add one for spare as a whole/),
      expect.stringMatching(/^Registry\.links: no use of it is rewritten through its templates per member, since this use is not/),
    ]);
  });

  it('a `?.` crossed by the chain`s template is tested through the template of the value it tests (a shorter chain`s, or the field`s whole one): the send goes through the hub, only when the legacy one did', () => {
    expect(fx.outputOf('fm-optional-tested')).toContain(
      '  const hub = hubOperations();\n  ((hub.isOnline(id) ? { send: (data: string) => void hubOperations().sendToUser(id, JSON.parse(data)) } : undefined) == null ? undefined : hub.sendToUser(id, JSON.parse(JSON.stringify(frame))));',
    );
    expect(fx.outputOf('fm-optional-guarded')).toContain('  const hub = hubOperations();\n  ((hub.listConnectedUsers().length > 0 ? hubOperations() : undefined) == null ? undefined : hub.sendToUser(id, JSON.parse(JSON.stringify(frame))));');
    expect(fx.review('fm-optional-guarded')).toEqual([]);
  });

  it('`!`, parentheses, casts and a `?.` on a never-nullish value are looked through: the whole chain`s template', () => {
    const out = fx.outputOf('fm-optional-tested');
    const surely = out.slice(out.indexOf('export function surely'));
    expect(surely.match(/ hub\.sendToUser\(id, JSON\.parse\(JSON\.stringify\(frame\)\)\);/g)).toHaveLength(6);
    // one hub for the six sends in a row (hoist-hub.ts)
    expect(surely.match(/hubOperations\(\)/g)).toHaveLength(1);
    expect(surely).not.toContain('registry');
    expect(fx.review('fm-optional-tested')).toEqual([]);
  });

  it('a covered use marked for another reason (here its arguments) keeps its marker on the plan holding its field; the covered use beside it stays as written', () => {
    const out = fx.outputOf('fm-held-marked');
    expect(out).toContain('  // TODO(ssot)[Registry.docks]: Registry.docks.set is called with a spread argument');
    expect(out).toContain('  registry.docks.set(id, socket);');
    expect(out).not.toContain('hubOperations');
    expect(fx.review('fm-held-marked').map((r) => r.message)).toEqual([
      expect.stringMatching(/^Registry\.docks\.set is called with a spread argument/),
      expect.stringMatching(/^Registry\.docks: no use of it is rewritten through its templates per member, since this use is not \(Registry\.docks\.set is called with a spread argument/),
    ]);
  });

  it('as on a lookup`s chain: more than one `?.` crossed, or a looked-up argument with side effects (read by the test and the template), marks the use and holds the field', () => {
    const out = fx.outputOf('fm-optional-marked');
    expect(out).toContain('  registry.desks?.get(id)?.send(JSON.stringify(frame));');
    expect(out).toContain("  registry.stalls.set('s', socket);");
    expect(out).not.toContain('hubOperations');
    expect(fx.review('fm-optional-marked').map((r) => r.message)).toEqual([
      expect.stringMatching(/^Registry\.desks\.get\.send crosses more than one `\?\.`, which its template cannot test; rewrite it by hand/),
      expect.stringMatching(/^Registry\.stalls\.get\.send is reached through `\?\.send`, tested, then used by the chain's template: `next\(\)` may have side effects and would be evaluated twice/),
      expect.stringMatching(/^Registry\.stalls: no use of it is rewritten through its templates per member/),
    ]);
  });

  it('a template per member of a field using $ctx gets the context threaded to its use (a call ending the chain, and a read), as a member call does', () => {
    const out = fx.outputOf('fm-ctx');
    expect(out).toContain('function admit(id: string, socket: Peer, ctx: UserExecutionContext): void {\n  hubOperations().connect(ctx.userId, socket, { connectionId: id });');
    expect(out).toContain('function count(ctx: UserExecutionContext): number {\n  return hubOperations().connectionCount(ctx.userId);');
    expect(out).toContain('  admit(id, socket, ctx);\n  return count(ctx);');
    expect(fx.review('fm-ctx')).toEqual([]);
    expect(fx.first.threaded).toBeGreaterThanOrEqual(2);
  });

  it('where threading stops at a boundary, the use is marked naming the member, the chain and the file', () => {
    const [item] = fx.review('fm-ctx-boundary');
    expect(item?.message).toBe("Registry.outbox.get.send becomes canonical code that needs the request's context: no value of type UserExecutionContext in scope, and threading it stops at a boundary: registry.outbox.get(id)!.send() at src/app/fm-ctx-boundary.ts:6 → tell (src/app/fm-ctx-boundary.ts:5) → boundary: method tell of an object literal");
    expect(fx.outputOf('fm-ctx-boundary')).toContain('    // TODO(ssot)[Registry.outbox.get.send]: Registry.outbox.get.send becomes canonical code');
  });

  it('a use left for want of a context holds its field like any marked use: another file`s use that has a context is not rewritten (never half a field)', () => {
    const mixed = 'src/app/fm-ctx-mixed.ts';
    const text = "import type { UserExecutionContext } from 'ssot-migrate/canonical';\nimport { registry } from '../legacy/registry';\n\nexport function tellNow(ctx: UserExecutionContext, id: string, frame: object): void {\n  registry.outbox.get(id)!.send(JSON.stringify(frame));\n}\n";
    const r = fx.run(new Map([...fx.inputs, [mixed, text]]));
    expect(r.changes.find((c) => c.file === mixed)).toBeUndefined();
    // the use left for want of a context keeps its marker on the plan holding the field (as the boundary found it)
    expect(r.changes.find((c) => c.file === fx.fileOf('fm-ctx-boundary'))?.after).toBe(fx.outputOf('fm-ctx-boundary'));
    expect(r.needsReview.filter((i) => i.file === fx.fileOf('fm-ctx-boundary')).map((i) => i.message)).toEqual([
      expect.stringMatching(/^Registry\.outbox\.get\.send becomes canonical code that needs the request's context: .* at src\/app\/fm-ctx-boundary\.ts:6 → tell/),
      expect.stringMatching(/^Registry\.outbox: no use of it is rewritten through its templates per member, since this use is not \(Registry\.outbox\.get\.send becomes canonical code that needs the request's context: .* at src\/app\/fm-ctx-boundary\.ts:6 → tell/),
    ]);
    // the other fields' uses are planned as before
    expect(r.changes.find((c) => c.file === fx.fileOf('fm-ctx'))?.after).toBe(fx.outputOf('fm-ctx'));
  });

  it('a held field`s use that threading reached on the earlier plan is not marked on the held one (it had a context; it stays as written)', () => {
    const iterating = 'src/app/fm-ctx-iterating.ts';
    const text = "import { registry } from '../legacy/registry';\n\nexport function all(): number {\n  let n = 0;\n  registry.inbox.forEach(() => n++);\n  return n;\n}\n";
    const r = fx.run(new Map([...fx.inputs, [iterating, text]]));
    expect(r.changes.find((c) => c.file === fx.fileOf('fm-ctx'))).toBeUndefined();
    expect(r.needsReview.filter((i) => i.file === fx.fileOf('fm-ctx'))).toEqual([]);
    expect(r.needsReview.filter((i) => i.file === iterating).map((i) => i.message)).toEqual([
      expect.stringMatching(/^Registry\.inbox\.forEach has no template in classes\[\]\.members/),
      expect.stringMatching(/^Registry\.inbox: no use of it is rewritten through its templates per member/),
    ]);
  });

  it('a field`s lookup stored in a local (`const ws = registry.seats.get(id)`) takes the chains at each use, as a lookup function`s does; else the field is marked with why', () => {
    const out = fx.outputOf('fm-stored-covered');
    expect(out).not.toContain('const ws = registry.seats.get(id);\n  if');
    expect(out).not.toContain('this.registry.seats');
    expect(out).toContain('hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame)))');
    // the held field (stalls) stays as written with its store; a local passed on keeps the plain template, its send marked
    expect(out).toContain('  const s = registry.stalls.get(id);\n  if (s) s.send(data);\n');
    expect(fx.review('fm-stored-covered').map((r) => r.message)).toEqual([expect.stringMatching(/^`ws\.send` goes to the socket Registry\.seats\.get\(…\) returned, stored in `ws`, not through the hub as "seats\.get\.send" would: `ws` is passed to a function/)]);
    expect(fx.review('fm-stored').map((r) => r.message)).toEqual([expect.stringMatching(/^`link` stores Registry\.links\.get\(…\), whose sends "links\.get\.send" would cover, but `link` is tested, and Registry\.links\.get has no plain template to test at each use: add "links\.get"/)]);
  });

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });
});

describe('remove-adapters: templates per member of a split class`s field', () => {
  const { cases, run, input, describeCases } = splitFixtures(fileURLToPath(new URL('./__testfixtures__/field-members-split', import.meta.url)));

  it('has the cases', () => expect(cases).toEqual(['covered', 'uncovered']));

  describeCases({ typecheck: true });

  it('covered: the field and the member that go are deleted, the kept members call the hub', () => {
    const r = run('covered', input('covered'));
    expect(r.dropped.sort()).toEqual(['Gateway.push', 'Gateway.sockets']);
  });

  it('uncovered: a kept member iterates the field: it stays whole, its uses in the kept members as written (one state, not two)', () => {
    const r = run('uncovered', input('uncovered'));
    expect(r.dropped).toEqual(['Gateway.push']);
    expect(r.after).toContain('this.sockets.set(id, socket);');
    expect(r.review.map((x) => x.message).join('\n')).toMatch(/splits: Gateway\.sockets is not kept and still used/);
  });
});

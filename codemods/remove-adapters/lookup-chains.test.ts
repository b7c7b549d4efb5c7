/**
 * Chain templates on what a lookup returns (`functions[].templates["getConnection.send"]`,
 * `classes[].members["getSocket.send"]`, `classes[].statics["socketOf.send"]`): a legacy lookup that
 * hands out a raw socket the caller then uses (`getConnection(id).send(frame)`) is rewritten, use by
 * use, into the hub call its chain template names, so the send goes through the hub (its cross-user
 * guard, replay, the Redis bus) rather than to the socket the hub registered. The longest chain wins;
 * `!` and parentheses are looked through; a `?.` keeps its test (chain-guard.ts: the lookup's plain template gives the
 * value tested). A use no chain covers takes the plain template, or is marked when there is none.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';

describe('remove-adapters: chain templates on a lookup`s result', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/lookup-chains', import.meta.url)));

  it('has the cases', () => {
    expect(fx.cases).toEqual(['lc-foreach', 'lc-free-covered', 'lc-free-stored', 'lc-free-unmapped', 'lc-member', 'lc-never-null', 'lc-side-effects']);
  });

  fx.describeCases();

  it('covered: each chain is one hub call, the lookup`s and the send`s arguments in order; `?.` tested through the plain template', () => {
    const out = fx.outputOf('lc-free-covered');
    expect(out).toContain('  hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(frame)));\n');
    expect(out).toContain('  (hubOperations().hub.getConnection(userId)?.socket == null ? undefined : hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(frame))));\n');
    expect(out).toContain('return `state ${(hubOperations().isOnline(userId) ? 1 : 3)}`;');
    expect(out).toContain('hubOperations().disconnect(userId);');
    expect(out).not.toMatch(/\.send\(/);
    // the lookups' and saveConnection's import goes; the type the file still names stays
    expect(out).toContain("import { type Sock } from '../legacy/connections';\n");
  });

  it('uncovered with a plain template: the socket the hub registered, the rest of the use as written', () => {
    const out = fx.outputOf('lc-free-stored');
    expect(out).toContain('const socket = hubOperations().hub.getConnection(userId)?.socket;');
    expect(out).toContain('socket?.send(data);');
    expect(out).toContain('return hubOperations().hub.getConnection(userId)?.socket;');
  });

  it('chains only: the covered use is rewritten, each other use marked alone (no half decision), naming the lookup', () => {
    const out = fx.outputOf('lc-free-unmapped');
    expect(out).toContain('hubOperations().sendToUser(userId, JSON.parse(data));');
    const messages = fx.review('lc-free-unmapped').map((r) => r.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^findSocket\(…\)\.send is reached through `\?\.send`, which runs the rest \(and its arguments\) only when findSocket\(…\) is there, and no template gives that value to test: add one for "findSocket"/);
    expect(messages[1]).toMatch(/^findSocket: its result stored, passed on or returned, which no chain template covers \(functions\[0\]\.templates has "findSocket\.send"\) and findSocket has no plain template/);
    expect(messages[2]).toMatch(/^findSocket: its result used as `\.close`, which no chain template covers/);
    expect(out.match(/TODO\(ssot\)\[findSocket\]/g)).toHaveLength(3);
    expect(fx.first.lookupMarks?.filter((m) => m.file === fx.fileOf('lc-free-unmapped')).map((m) => m.about)).toEqual(['findSocket', 'findSocket', 'findSocket']);
  });

  it('a class`s lookup and a static lookup: chains on what they return; a use no chain covers marked as Class.member', () => {
    const out = fx.outputOf('lc-member');
    expect(out).toContain('(hubOperations().hub.getConnection(id)?.socket == null ? undefined : hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame))));');
    expect(out).toContain('const socket = hubOperations().hub.getConnection(id)?.socket;');
    expect(out).toContain('hubOperations().sendToUser(id, JSON.parse(data));');
    expect(out).toContain('// TODO(ssot)[Manager.lookup]: Manager.lookup: its result used as `.close`');
    expect(out).not.toContain('Manager.socketOf');
  });

  it('side effects: the send`s argument only when the socket is there; an id with side effects is not evaluated twice (marked)', () => {
    const out = fx.outputOf('lc-side-effects');
    expect(out).toContain('(hubOperations().hub.getConnection(userId)?.socket == null ? undefined : hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(build()))));');
    expect(fx.review('lc-side-effects')[0]!.message).toMatch(/`next\(\)` may have side effects and would be evaluated twice; bind it to a const first/);
  });

  it('a chain whose link takes the caller`s callback (`getAll().forEach(ws => ws.send(…))`): the template calls it with a send over the hub', () => {
    const out = fx.outputOf('lc-foreach');
    expect(out).toContain('hubOperations().listConnectedUsers().forEach((id) => ((ws) => {');
    expect(out).toContain('})({ send: (data: string) => hubOperations().sendToUser(id, JSON.parse(data)) }));');
    expect(out).toContain('// TODO(ssot)[getAll]: getAll: its result used as `.length`');
    // a callback reading an outer `id` would read the template's own `(id) => …` instead: marked
    expect(fx.review('lc-foreach').map((r) => r.message)).toContain('`(ws) => ws.send(id)` reads `id`, which the template of getAll(…).forEach (functions[0].templates) binds around it (its own `id` would be read instead); rename it, or the template\'s');
  });

  it('a `?.` that tests nothing (the lookup never returns null or undefined under strict null checks) is crossed: the chain`s template alone', () => {
    expect(fx.outputOf('lc-never-null')).toContain('  hubOperations().sendToUser(userId, JSON.parse(data));\n');
    expect(fx.review('lc-never-null')).toEqual([]);
  });

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });
});

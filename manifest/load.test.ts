import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestError, loadManifest, parseManifest } from './index.js';

const EXAMPLE = new URL('../examples/legacy-app/ssot.config.json', import.meta.url);

/** A small valid manifest; tests break one field at a time. */
function valid(): Record<string, any> {
  return {
    canonical: { module: 'src/ws/canonical', exports: ['createWebSocketManager', 'WebSocketManagerMode', 'hubOperations'], contextType: 'Ctx', factory: 'createWebSocketManager' },
    legacy: [
      { id: 'WSM001', module: 'src/ws/old', symbols: { OldMode: 'WebSocketManagerMode' } },
      { id: 'WSM002', module: 'src/ws/older', symbols: { getManager: 'createWebSocketManager' } },
    ],
    adapters: [{ id: 'WSM003', module: 'src/ws/adapter', class: 'Adapter', unwrapArg: 0, methods: { start: "$m.emit('agent_started', { agentName: $1 })" } }],
    duplicateTypes: [{ name: 'WebSocketManagerMode', canonicalModule: 'src/ws/old' }],
    verify: { typecheck: 'npx tsc --noEmit', test: 'npx vitest run' },
  };
}

function refusal(input: unknown): ManifestError {
  try {
    parseManifest(JSON.stringify(input, null, 2), 'ssot.config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return error as ManifestError;
  }
  throw new Error('manifest was accepted');
}

describe('parseManifest', () => {
  it('accepts a valid manifest and fills the defaults', () => {
    const m = parseManifest(JSON.stringify(valid()), 'ssot.config.json');
    // absent: every phase of the registry (codemods/phase), decided when the repo is opened
    expect(m.phases).toBeUndefined();
    expect(m.customPhases).toEqual([]);
    expect(m.exclude).toEqual([]);
    expect(m.tsconfig).toBe('tsconfig.json');
    expect(m.legacy[1]?.symbols).toEqual({ getManager: 'createWebSocketManager' });
    expect(m.factory).toBeUndefined();
    // docs are never edited unless a person says so
    expect(m.comments).toEqual({ legacyMentions: 'report' });
  });

  it('reads the comment policy and refuses a malformed one, naming the field', () => {
    expect(parseManifest(JSON.stringify({ ...valid(), comments: { legacyMentions: 'rewrite' } })).comments).toEqual({ legacyMentions: 'rewrite' });
    expect(parseManifest(JSON.stringify({ ...valid(), comments: {} })).comments).toEqual({ legacyMentions: 'report' });
    expect(refusal({ ...valid(), comments: { legacyMentions: 'delete' } }).message).toMatch(/^ssot\.config\.json: comments\.legacyMentions: expected "report" .* or "rewrite"/);
    expect(refusal({ ...valid(), comments: { legacyMention: 'report' } }).message).toContain('ssot.config.json: comments: ');
    expect(refusal({ ...valid(), comments: 'rewrite' }).message).toContain('ssot.config.json: comments: ');
  });

  it('reads member templates of legacy classes (classes[]) and an adapter scope', () => {
    const input = valid();
    input.classes = [
      {
        module: 'src/ws/old',
        class: 'Hub',
        members: { attach: '$hub.connect($1, $2)', send: '$user($1).sendToUser($1, $2)', emitFor: '$run($ctx).emit($1, $2)', mode: '$legacy.mode' },
        legacyMembers: ['bindScope'],
      },
    ];
    input.adapters[0].scope = { userId: 'userId', runId: 'runId' };
    const m = parseManifest(JSON.stringify(input));
    expect(m.classes[0]?.members.attach).toBe('$hub.connect($1, $2)');
    expect(m.classes[0]?.legacyMembers).toEqual(['bindScope']);
    expect(m.adapters[0]?.scope).toEqual({ userId: 'userId', runId: 'runId' });
    expect(parseManifest(JSON.stringify(valid())).classes).toEqual([]);
  });

  it('refuses bad member templates, naming the field', () => {
    const bad = (cls: Record<string, unknown>) => {
      const input = valid();
      input.classes = [{ module: 'src/ws/old', class: 'Hub', members: {}, ...cls }];
      return refusal(input).message;
    };
    expect(bad({ members: { attach: '$x.connect($1)' } })).toContain('classes[0].members.attach: unknown placeholder "$x" in member template; allowed: $1..$9, $ctx, $hub, $user, $run, $legacy, $self, $m');
    expect(bad({ members: { attach: '$user.connect($1)' } })).toContain('classes[0].members.attach: "$user" is written as a call: $user(<expression>)');
    expect(bad({ members: { attach: '' } })).toContain('classes[0].members.attach: expected a non-empty member template');
    expect(bad({ members: { mode: '$legacy.mode' }, legacyMembers: ['mode'] })).toContain('classes[0].legacyMembers[0]: "mode" is listed as served by legacy code and its template in members uses $legacy or $self, which only the shim has; choose one');
    // a member served by legacy code in the shim may still have a template for the static rewrite
    expect(() => { const ok = valid(); ok.classes = [{ module: 'src/ws/old', class: 'Hub', members: { currentScope: '$ctx' }, legacyMembers: ['currentScope'] }]; parseManifest(JSON.stringify(ok)); }).not.toThrow();
    expect(bad({ module: 'src/ws/elsewhere' })).toContain('classes[0].module: "src/ws/elsewhere" is not a legacy module (list it under "legacy" first)');
    expect(bad({ extra: 1 })).toMatch(/classes\[0\]: .*extra/);
    const input = valid();
    input.classes = [
      { module: 'src/ws/old', class: 'Hub', members: {} },
      { module: 'src/ws/old', class: 'Hub', members: {} },
    ];
    expect(refusal(input).message).toContain('classes[1].class: class "Hub" of "src/ws/old" is already described at classes[0]');
  });

  it('reads a boot construction (constructions[]) and refuses a malformed one, naming the field', () => {
    const ok = valid();
    ok.canonical.exports.push('createWebSocketServer', 'CanonicalWebSocketServer');
    ok.constructions = [{ module: 'src/ws/old', class: 'OldManager', replacement: 'await createWebSocketServer({ server: $1.options.server, auth, allowedOrigins: "*" })', wiring: ['handleConnection'], type: 'CanonicalWebSocketServer' }];
    const m = parseManifest(JSON.stringify(ok), 'ssot.config.json');
    expect(m.constructions?.[0]).toMatchObject({ class: 'OldManager', wiring: ['handleConnection'], type: 'CanonicalWebSocketServer' });
    expect(parseManifest(JSON.stringify(valid()), 'ssot.config.json').constructions).toBeUndefined();
    const bad = (patch: Record<string, unknown>) => {
      const b = valid();
      b.canonical.exports.push('CanonicalWebSocketServer');
      b.constructions = [{ module: 'src/ws/old', class: 'OldManager', replacement: '$hub', ...patch }];
      return refusal(b).message;
    };
    expect(bad({ replacement: '$ctx.x' })).toContain('constructions[0].replacement: unknown placeholder "$ctx" in construction replacement template; allowed: $1..$9, $hub');
    expect(bad({ replacement: 'f($1); process.exit(1)' })).toMatch(/constructions\[0\]\.replacement: construction replacement template: expected (exactly )?one TypeScript expression/);
    expect(bad({ module: 'src/ws/elsewhere' })).toContain('constructions[0].module: "src/ws/elsewhere" is not a legacy module');
    expect(bad({ type: 'Server' })).toContain('constructions[0].type: "Server" is not listed in canonical.exports');
    expect(bad({ instance: 'delete' })).toContain('constructions[0].instance');
    expect(bad({ instance: 'drop', type: 'CanonicalWebSocketServer' })).toContain('constructions[0].type: a dropped instance is stored nowhere');
    expect(bad({ wiring: ['on', 'on'] })).toContain('constructions[0].wiring[1]: "on" is listed twice');
    expect(bad({ wiring: ['a.b'] })).toContain('constructions[0].wiring[0]');
    const twice = valid();
    twice.constructions = [{ module: 'src/ws/old', class: 'OldManager', replacement: '$hub' }, { module: 'src/ws/old', class: 'OldManager', replacement: '$hub' }];
    expect(refusal(twice).message).toContain('constructions[1].class: the construction of "OldManager" of "src/ws/old" is already described at constructions[0]');
  });

  it('refuses a $hub template while canonical.exports does not list hubOperations (the import a phase writes for it), naming the field', () => {
    const m = valid();
    m.canonical.exports = m.canonical.exports.filter((e: string) => e !== 'hubOperations');
    m.classes = [{ module: 'src/ws/old', class: 'Hub', members: { online: '$hub.isOnline($1)', send: '$run($ctx).emit($1, $2)' } }];
    m.constructions = [{ module: 'src/ws/old', class: 'Hub', replacement: 'start($hub, $1)' }];
    const message = refusal(m).message;
    expect(message).toContain('classes[0].members.online: uses $hub, which a phase imports as "hubOperations" from canonical.module: list "hubOperations" in canonical.exports');
    expect(message).toContain('constructions[0].replacement: uses $hub');
    expect(message).not.toContain('members.send');
    m.canonical.exports.push('hubOperations');
    expect(parseManifest(JSON.stringify(m)).classes[0]!.members.online).toBe('$hub.isOnline($1)');
  });

  it('keeps explicit phases, exclude and tsconfig', () => {
    const m = parseManifest(JSON.stringify({ ...valid(), phases: ['discover', 'rewrite-imports'], exclude: ['gen/**'], tsconfig: 'tsconfig.app.json' }));
    expect(m.phases).toEqual(['discover', 'rewrite-imports']);
    expect(m.exclude).toEqual(['gen/**']);
    expect(m.tsconfig).toBe('tsconfig.app.json');
  });

  it('loads the legacy-app example with every field filled', async () => {
    const m = parseManifest(await readFile(EXAMPLE, 'utf8'), 'ssot.config.json');
    expect(m.canonical.module).toBe('ssot-migrate/canonical');
    expect(m.legacy.map((l) => l.id)).toEqual(['WSM001', 'WSM002', 'WSM003', 'WSM004', 'WSM005', 'WSM006', 'WSM007']);
    expect(m.adapters[0]?.methods.notifyAgentStarted).toBe("$m.emit('agent_started', { agentName: $1 })");
    expect(m.factory?.replacement).toBe('createWebSocketManager($ctx)');
    expect(m.verify.testReport).toBe('reports/junit.xml');
    expect(m.comments.legacyMentions).toBe('rewrite');
  });

  it('names the file and field of a malformed id', () => {
    const input = valid();
    input.legacy[1].id = 'wsm-2';
    const error = refusal(input);
    expect(error.message).toMatch(/^ssot\.config\.json: legacy\[1\]\.id: expected an id like "WSM001"/);
    expect(error.issues).toHaveLength(1);
  });

  it('refuses duplicate ids across legacy modules and adapters', () => {
    const input = valid();
    input.adapters[0].id = 'WSM001';
    expect(refusal(input).message).toContain('ssot.config.json: adapters[0].id: duplicate id "WSM001" (already used at legacy[0].id)');
  });

  it('refuses a module specifier that would inject code (quotes, ";", brackets, control characters), naming the character', () => {
    const cases: [string, RegExp][] = [
      ["ssot-migrate/canonical';import('fs').then(f=>f)//", /canonical\.module: expected a module path or specifier \(letters, digits and @ \. _ - \/ \+ ~ # :\), got .* with "'"/],
      ['ssot-migrate/canonical";x', /canonical\.module: .* with "\\""/],
      ['ssot-migrate/canonical\u0000', /canonical\.module: .* with U\+0000/],
      ['ssot`${1}`', /canonical\.module: .* with "`"/],
    ];
    for (const [module, pattern] of cases) {
      const input = valid();
      input.canonical.module = module;
      expect(refusal(input).message).toMatch(pattern);
    }
    const ok = valid();
    ok.canonical.module = '@scope/pkg-name/sub_path.v2';
    expect(parseManifest(JSON.stringify(ok), 'ssot.config.json').canonical.module).toBe('@scope/pkg-name/sub_path.v2');
  });

  it('refuses a module path with an extension, a "./" prefix, "..", or an absolute path', () => {
    const cases: [string, RegExp][] = [
      ['src/ws/old.ts', /legacy\[0\]\.module: expected a module path without extension \(write "src\/ws\/old"\)/],
      ['./src/ws/old', /legacy\[0\]\.module: expected a path without a leading "\.\/"/],
      ['src/../old', /legacy\[0\]\.module: expected a path inside the repo/],
      ['/abs/old', /legacy\[0\]\.module: expected a repo-relative path/],
    ];
    for (const [module, pattern] of cases) {
      const input = valid();
      input.legacy[0].module = module;
      expect(refusal(input).message).toMatch(pattern);
    }
  });

  it('refuses placeholders outside templates and unknown placeholders inside them', () => {
    const outside = valid();
    outside.legacy[0].symbols = { $1: 'WebSocketManagerMode' };
    expect(refusal(outside).message).toContain('legacy[0].symbols.$1: invalid key: placeholders ($m, $1..$9, $ctx) are only allowed in templates');

    const unknown = valid();
    unknown.adapters[0].methods.start = '$m.emit($ctx, $10)';
    const message = refusal(unknown).message;
    expect(message).toContain('adapters[0].methods.start: unknown placeholder "$ctx" in adapter method template; allowed: $m, $1..$9');
    expect(message).toContain('unknown placeholder "$10"');

    const factory = valid();
    factory.factory = { id: 'WSM004', entries: [{ module: 'src/ws/old', call: 'Factory.getInstance' }], replacement: 'createWebSocketManager($m)' };
    expect(refusal(factory).message).toContain('factory.replacement: unknown placeholder "$m"');
  });

  it('refuses a template that is not exactly one expression (member, adapter method, factory replacement), naming the field', () => {
    const withClass = (members: Record<string, string>) => {
      const input = valid();
      input.classes = [{ module: 'src/ws/old', class: 'Hub', members }];
      return input;
    };
    expect(refusal(withClass({ attach: 'a; b' })).message).toContain(`classes[0].members.attach: member template: expected one TypeScript expression, got "a; b" (')' expected.)`);
    expect(refusal(withClass({ attach: "$hub.connect($1)) ; require('fs').rmSync('/', { recursive: true }); ((0" })).message).toMatch(/classes\[0\]\.members\.attach: member template: expected (exactly )?one TypeScript expression/);
    expect(refusal(withClass({ attach: 'x) ; evil(' })).message).toMatch(/classes\[0\]\.members\.attach: member template: expected (exactly )?one TypeScript expression, got "x\) ; evil\("/);
    expect(refusal(withClass({ attach: '$1), evil(' })).message).toMatch(/classes\[0\]\.members\.attach: member template: expected (exactly )?one TypeScript expression/);
    expect(refusal(withClass({ attach: 'if (x) y' })).message).toMatch(/classes\[0\]\.members\.attach: member template: expected (exactly )?one TypeScript expression/);
    expect(refusal(withClass({ attach: '$1 // )' })).message).toMatch(/classes\[0\]\.members\.attach: member template/);
    // a template led by a line comment parses on its own, but is written on the call's line, where it
    // swallowed the rest of the statement (phases refused the output, late): refused here, naming the field
    expect(refusal(withClass({ send: '// the hub sends it\n$hub.sendToUser($1, $2)' })).message).toContain('classes[0].members.send: member template: a line comment ("// the hub sends it") in ');
    expect(refusal(withClass({ send: '$hub.sendToUser($1, $2) // to every socket' })).message).toMatch(/classes\[0\]\.members\.send: member template: a line comment \("\/\/ to every socket"\).*swallow the rest of that line/);
    const construction = valid();
    construction.constructions = [{ module: 'src/ws/old', class: 'Hub', replacement: '// built once\n$hub' }];
    expect(refusal(construction).message).toContain('constructions[0].replacement: construction replacement template: a line comment');
    // a `//` in a string or a regex is no comment; a block comment is fine
    expect(() => parseManifest(JSON.stringify(withClass({ u: "$hub.sendToUser($1, { url: 'ws://h/x', re: /\\/\\//g.source })", b: '/* the hub */ $hub.health()' })))).not.toThrow();
    const adapter = valid();
    adapter.adapters[0].methods.start = "$m.emit('a'); process.exit(1)";
    expect(refusal(adapter).message).toMatch(/adapters\[0\]\.methods\.start: adapter method template: expected (exactly )?one TypeScript expression/);
    const factory = valid();
    factory.factory = { id: 'WSM009', entries: [{ module: 'src/ws/old', call: 'make' }], replacement: 'createWebSocketManager($ctx)}' };
    expect(refusal(factory).message).toMatch(/factory\.replacement: factory replacement template: expected (exactly )?one TypeScript expression/);
    // one expression, however written: object literals, arrows, conditionals, several lines
    const ok = withClass({ attach: "$hub.connect($1, $2, { greeting: (connectionId) => ({ type: 'hello', connectionId }) })", health: "{ ...$hub.health(), mode: $legacy.mode }", n: '$1 ? $user($1).count()\n  : 0', p: 'void $self' });
    expect(() => parseManifest(JSON.stringify(ok))).not.toThrow();
  });

  it('a pure module move gives only canonical.module, canonical.exports, legacy and verify (the rest defaults or is required by the phases that use it)', () => {
    const m = parseManifest(JSON.stringify({ canonical: { module: 'src/new', exports: ['A'] }, legacy: [{ id: 'MOV001', module: 'src/old', symbols: { A: 'A' } }], verify: { typecheck: 'tsc', test: 'vitest run' } }));
    expect(m.adapters).toEqual([]);
    expect(m.duplicateTypes).toEqual([]);
    expect(m.canonical.factory).toBeUndefined();
    const input = valid();
    input.canonical.factory = 'makeIt';
    expect(refusal(input).message).toContain('canonical.factory: "makeIt" is not listed in canonical.exports');
    const healed = valid();
    healed.legacy[0].healed = ['Gone'];
    expect(refusal(healed).message).toContain('legacy[0].healed[0]: "Gone" is not a key of legacy[0].symbols');
  });

  it('refuses missing and mistyped fields, and unknown keys', () => {
    const missing = valid();
    delete missing.verify.test;
    expect(refusal(missing).message).toMatch(/ssot\.config\.json: verify\.test: .*expected string/);

    const typed = valid();
    typed.adapters[0].unwrapArg = '0';
    expect(refusal(typed).message).toMatch(/adapters\[0\]\.unwrapArg: .*expected number/);

    const extra = valid();
    extra.canonical.modul = 'x';
    expect(refusal(extra).message).toMatch(/ssot\.config\.json: canonical: Unrecognized key: "modul"/);
  });

  it('refuses canonical names that canonical.exports does not list', () => {
    const input = valid();
    input.legacy[0].symbols = { OldMode: 'WebSocketManagerModee' };
    expect(refusal(input).message).toContain('legacy[0].symbols.OldMode: "WebSocketManagerModee" is not listed in canonical.exports');
  });

  it('reads publicApi replacements and refuses a malformed, non-canonical, chained or repeated one, naming the field', () => {
    const input = valid();
    input.publicApi = [{ module: 'src/index', replacements: { OldManager: ['createWebSocketManager', 'type WebSocketManagerMode as Mode'], Gone: [] } }];
    expect(parseManifest(JSON.stringify(input)).publicApi[0]?.replacements).toEqual({ OldManager: ['createWebSocketManager', 'type WebSocketManagerMode as Mode'], Gone: [] });
    const bad = valid();
    bad.publicApi = [{ module: 'src/index', replacements: { OldManager: ['createWebSocketManager()', 'Missing', 'Mode', 'createWebSocketManager'], Mode: ['WebSocketManagerMode'] } }];
    const message = refusal(bad).message;
    expect(message).toContain('publicApi[0].replacements.OldManager[0]: expected "Name", "type Name" or "Name as Public"');
    expect(message).toContain('publicApi[0].replacements.OldManager[1]: "Missing" is not listed in canonical.exports');
    expect(message).toContain('publicApi[0].replacements.OldManager[2]: "Mode" is itself replaced (publicApi[0].replacements.Mode)');
    expect(message).not.toContain('OldManager[3]');
    const twice = valid();
    twice.publicApi = [{ module: 'src/index', replacements: { OldManager: ['createWebSocketManager', 'type createWebSocketManager'] } }];
    expect(refusal(twice).message).toContain('publicApi[0].replacements.OldManager[1]: "createWebSocketManager" is listed twice');
  });

  it('reads a class split (splits[]) and refuses a malformed one, naming the field', () => {
    const withSplit = (splits: unknown[], classes: unknown[] = [{ module: 'src/ws/old', class: 'Svc', members: { notify: '$hub.sendToUser(String($2), { ...$1 })' } }]) => ({ ...valid(), classes, splits });
    const m = parseManifest(JSON.stringify(withSplit([{ module: 'src/ws/old', class: 'Svc', to: 'src/app/svc', keep: ['log', 'getUser'] }])));
    expect(m.splits).toEqual([{ module: 'src/ws/old', class: 'Svc', to: 'src/app/svc', keep: ['log', 'getUser'] }]);
    expect(parseManifest(JSON.stringify(valid())).splits).toEqual([]);
    const message = refusal(
      withSplit([
        { module: 'src/ws/old', class: 'Svc', to: 'src/ws/older', keep: ['notify', 'log', 'log', 'constructor'] },
        { module: 'src/ws/old', class: 'Svc', to: 'src/app/svc', keep: ['log'] },
        { module: 'src/app/x', class: 'Other', to: 'src/app/x', keep: [] },
        { module: 'src/ws/old', class: 'Svc2', to: 'src/app/svc.ts', keep: ['a'], extra: 1 },
      ]),
    ).message;
    expect(message).toContain('splits[0].to: "src/ws/older" is a legacy module; the app class moves to a module that stays');
    expect(message).toContain('splits[0].keep[0]: "notify" is kept here and templated at classes[0].members.notify; a member either stays app code or is rewritten: choose one');
    expect(message).toContain('splits[0].keep[2]: "log" is listed twice');
    expect(message).toContain('splits[0].keep[3]: the constructor always stays');
    expect(message).toContain('splits[1].class: class "Svc" of "src/ws/old" is already split at splits[0]');
    expect(message).toContain('splits[2].keep: expected at least one member that stays app code');
    expect(message).toMatch(/splits\[3\]: Unrecognized key:? "extra"|splits\[3\].*extra/);
    expect(message).toContain('splits[3].to: expected a module path without extension (write "src/app/svc")');
    const second = refusal(withSplit([{ module: 'src/app/x', class: 'Other', to: 'src/app/y', keep: ['a'] }])).message;
    expect(second).toContain('splits[0].module: "src/app/x" is not a legacy module (list it under "legacy" first)');
    expect(second).toContain('splits[0].class: no classes[] entry describes "Other" of "src/app/x"');
    const moved = refusal({ ...withSplit([{ module: 'src/ws/old', class: 'Svc', to: 'src/app/svc', keep: ['log'] }]), moves: [{ from: 'src/ws/old', name: 'Svc', to: 'src/app/svc' }] }).message;
    expect(moved).toContain('splits[0].class: "Svc" of "src/ws/old" is also listed under moves; a split moves it: remove the moves entry');
  });

  it('reads a declaration deletion and refuses a repeated one or one inside a file deleted whole', () => {
    const input = valid();
    input.deletions = [{ path: 'src/a.ts', declaration: 'loadOld', reason: 'hands out the legacy module; nobody calls it' }];
    expect(parseManifest(JSON.stringify(input)).deletions[0]?.declaration).toBe('loadOld');
    const bad = valid();
    bad.deletions = [
      { path: 'src/a.ts', declaration: 'loadOld', reason: 'x' },
      { path: 'src/a.ts', declaration: 'loadOld', reason: 'y' },
      { path: 'src/b.ts', reason: 'z' },
      { path: 'src/b.ts', declaration: 'f', reason: 'w' },
      { path: 'src/c.ts', declaration: 'not a name', reason: 'v' },
    ];
    const message = refusal(bad).message;
    expect(message).toContain('deletions[1].declaration: loadOld of "src/a.ts" is already listed at deletions[0]');
    expect(message).toContain('deletions[3].declaration: "src/b.ts" is deleted whole at deletions[2]');
    expect(message).toContain('deletions[4].declaration: expected a JavaScript identifier');
  });

  it('checks the shape of phases and custom phase declarations (names and order are the registry\'s: codemods/phase)', () => {
    const twice = valid();
    twice.phases = ['discover', 'discover'];
    expect(refusal(twice).message).toContain('phases[1]: "discover" is listed twice');
    const badName = valid();
    badName.phases = ['discover', 'Rewrite_Imports'];
    expect(refusal(badName).message).toContain('phases[1]: expected a kebab-case phase name');
    const custom = (c: Record<string, unknown>) => ({ ...valid(), customPhases: [{ name: 'rename-send', kind: 'jscodeshift', path: 'codemods/rename-send.ts', after: 'rewrite-imports', ...c }] });
    expect(parseManifest(JSON.stringify(custom({}))).customPhases[0]).toMatchObject({ name: 'rename-send', after: 'rewrite-imports' });
    expect(refusal(custom({ before: 'remove-shim' })).message).toContain('customPhases[0].after: give exactly one of "after" or "before"');
    expect(refusal(custom({ after: undefined })).message).toContain('customPhases[0].after: give exactly one of "after" or "before"');
    expect(refusal(custom({ kind: 'babel' })).message).toMatch(/customPhases\[0\]\.kind: Invalid option/);
    expect(refusal(custom({ path: '../x.ts' })).message).toContain('customPhases[0].path: expected a path inside the repo');
    expect(refusal(custom({ path: 'codemods/x.json' })).message).toContain('customPhases[0].path: expected a .js, .mjs, .cjs, .ts, .mts or .cts module');
    expect(refusal(custom({ kind: 'module', parser: 'tsx' })).message).toContain('customPhases[0].parser: only a jscodeshift phase takes a parser');
    expect(refusal(custom({ surprise: 1 })).message).toMatch(/customPhases\[0\]: Unrecognized key/);
  });

  it('reports invalid JSON with line:col', () => {
    const text = '{\n  "canonical": {\n    "module": "x",,\n  }\n}';
    expect(() => parseManifest(text, 'ssot.config.json')).toThrow(/^ssot\.config\.json: 3:19: invalid JSON/);
    expect(() => parseManifest('{"a": 1', 'm.json')).toThrow(/^m\.json: 1:8: invalid JSON/);
  });

  it('accepts a UTF-8 BOM', () => {
    expect(parseManifest(`\uFEFF${JSON.stringify(valid())}`).canonical.factory).toBe('createWebSocketManager');
  });
});

describe('loadManifest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ssot-manifest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads <repo>/ssot.config.json', async () => {
    await writeFile(join(dir, 'ssot.config.json'), JSON.stringify(valid()));
    expect((await loadManifest(dir)).legacy).toHaveLength(2);
  });

  it('names the missing file', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));
    await expect(loadManifest(empty)).rejects.toThrow(`${join(empty, 'ssot.config.json')}: (file): not found`);
  });

  it('names the file path in schema errors', async () => {
    const input = valid();
    input.legacy[1].id = 'X1';
    await writeFile(join(dir, 'ssot.config.json'), JSON.stringify(input));
    await expect(loadManifest(dir)).rejects.toThrow(`${join(dir, 'ssot.config.json')}: legacy[1].id: expected an id like "WSM001"`);
  });
});

describe('functions[]: legacy modules of free functions', () => {
  const withFunctions = (templates: Record<string, string>, module = 'src/ws/old'): Record<string, any> => ({ ...valid(), functions: [{ module, templates }] });

  it('reads per-function templates with the member-template placeholders, and defaults to []', () => {
    expect(parseManifest(JSON.stringify(valid())).functions).toEqual([]);
    const m = parseManifest(JSON.stringify(withFunctions({ sendToUser: '$hub.sendToUser($1, $2)', notify: '$user($1).sendToUser($1, $2)', emitRun: "$run($ctx).emit('agent_started', { agentName: $1 })" })));
    expect(m.functions[0]?.templates['sendToUser']).toBe('$hub.sendToUser($1, $2)');
  });

  it('refuses what only an object has ($legacy, $self), an uncalled $user, statements, and names the field', () => {
    expect(refusal(withFunctions({ send: '$legacy.send($1)' })).message).toContain('ssot.config.json: functions[0].templates.send: unknown placeholder "$legacy" in function template; allowed: $1..$9, $ctx, $hub, $user, $run');
    expect(refusal(withFunctions({ send: '$self.emit($1)' })).message).toContain('functions[0].templates.send: unknown placeholder "$self"');
    expect(refusal(withFunctions({ send: '$user.sendToUser($1)' })).message).toContain('functions[0].templates.send: "$user" is written as a call: $user(<expression>)');
    expect(refusal(withFunctions({ send: '$hub.sendToUser($1, $2); evil()' })).message).toMatch(/functions\[0\]\.templates\.send: function template: /);
    expect(refusal(withFunctions({ 'not-a-name': '$hub.sendToUser($1, $2)' })).message).toContain('functions[0].templates');
  });

  it('refuses a module that is not legacy, a module described twice, a name also mapped in symbols, and $hub without hubOperations', () => {
    expect(refusal(withFunctions({ send: '$hub.sendToUser($1, $2)' }, 'src/ws/elsewhere')).message).toContain('ssot.config.json: functions[0].module: "src/ws/elsewhere" is not a legacy module (list it under "legacy" first');
    const twice = withFunctions({ send: '$hub.sendToUser($1, $2)' });
    twice.functions.push({ module: 'src/ws/old', templates: {} });
    expect(refusal(twice).message).toContain('functions[1].module: module "src/ws/old" is already described at functions[0]');
    expect(refusal(withFunctions({ OldMode: '$hub.mode' })).message).toContain('functions[0].templates.OldMode: "OldMode" is also mapped in legacy[0].symbols');
    const noHub = withFunctions({ send: '$hub.sendToUser($1, $2)' });
    noHub.canonical.exports = ['createWebSocketManager', 'WebSocketManagerMode'];
    expect(refusal(noHub).message).toContain('functions[0].templates.send: uses $hub, which a phase imports as "hubOperations"');
    expect(refusal({ ...valid(), functons: [] }).message).toMatch(/ssot\.config\.json: .*functons/);
  });
});

describe('classes[].statics: a class used through its statics', () => {
  const withStatics = (statics: Record<string, string>): Record<string, any> => ({
    ...valid(),
    classes: [{ module: 'src/ws/old', class: 'Clients', members: { emit: '$hub.sendToUser($1, $2)' }, statics }],
  });

  it('reads per-static templates with the free-function placeholders; absent stays absent', () => {
    const m = parseManifest(JSON.stringify(withStatics({ emitDataToUser: '$hub.sendToUser($1, { type: $2, payload: $3 })', register: '$hub.connect($1, $2)', clients: '$hub', notify: "$user($1).emit('agent_thinking', { reasoning: $2 })", forRun: "$run($ctx).emit('agent_started', { agentName: $1 })", emit: '$hub.broadcastAll($1)' })));
    expect(m.classes[0]?.statics?.['emitDataToUser']).toBe('$hub.sendToUser($1, { type: $2, payload: $3 })');
    // a static and an instance member may share a name: each side has its own template
    expect(m.classes[0]?.statics?.['emit']).toBe('$hub.broadcastAll($1)');
    expect(m.classes[0]?.members['emit']).toBe('$hub.sendToUser($1, $2)');
    expect(parseManifest(JSON.stringify({ ...valid(), classes: [{ module: 'src/ws/old', class: 'Clients', members: {} }] })).classes[0]?.statics).toBeUndefined();
  });

  it('refuses the receiver placeholders ($m, $self, $legacy), an uncalled $user, statements, and names the field', () => {
    for (const p of ['$m', '$self', '$legacy']) {
      const msg = refusal(withStatics({ send: `${p}.send($1)` })).message;
      expect(msg, p).toContain(`ssot.config.json: classes[0].statics.send: unknown placeholder "${p}" in static template; allowed: $1..$9, $ctx, $hub, $user, $run`);
      expect(msg, p).toContain('classes[0].statics.send: a static has no receiver: $m, $self and $legacy are member placeholders');
    }
    expect(refusal(withStatics({ send: '$user.sendToUser($1)' })).message).toContain('classes[0].statics.send: "$user" is written as a call: $user(<expression>)');
    expect(refusal(withStatics({ send: '$hub.sendToUser($1, $2); evil()' })).message).toMatch(/classes\[0\]\.statics\.send: static template: /);
    expect(refusal(withStatics({ 'not-a-name': '$hub.sendToUser($1, $2)' })).message).toContain('classes[0].statics');
    expect(refusal(withStatics({ send: '' })).message).toContain('classes[0].statics.send: expected a non-empty static template');
  });

  it('refuses $hub without hubOperations in canonical.exports, naming the static', () => {
    const noHub = withStatics({ send: '$hub.sendToUser($1, $2)' });
    noHub.canonical.exports = ['createWebSocketManager', 'WebSocketManagerMode'];
    noHub.classes[0].members = {};
    expect(refusal(noHub).message).toContain('classes[0].statics.send: uses $hub, which a phase imports as "hubOperations"');
  });
});

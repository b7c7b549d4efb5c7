/**
 * The whole phase (planRemoveAdapters: analysis, import rewrite, type guard under the repo's own
 * tsconfig with noUnusedLocals) on a small repo on disk: a DI-built handler injected with a legacy
 * service, and a `new` of it in a wiring file the phase has nothing else to do in. The parameter
 * goes with its decorator, the wiring loses the argument and its legacy import, and the guard keeps
 * both files (they only typecheck together).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { planRemoveAdapters } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'ssot.config.json': JSON.stringify({
    canonical: { module: 'src/canonical', exports: ['hubOperations'] },
    legacy: [{ id: 'NTF001', module: 'src/legacy/notifier', symbols: {} }],
    classes: [{ module: 'src/legacy/notifier', class: 'Notifier', members: { send: '$hub.sendToUser($1, $2)' } }],
    adapters: [],
    duplicateTypes: [],
    verify: { typecheck: 'true', test: 'true' },
  }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noUnusedLocals: true, experimentalDecorators: true, target: 'es2022', module: 'es2022', moduleResolution: 'bundler', baseUrl: '.', noEmit: true }, include: ['src'] }),
  'src/canonical.ts': 'export interface HubOperations { sendToUser(userId: string, message: Record<string, unknown>): number }\nexport declare function hubOperations(): HubOperations;\n',
  'src/legacy/notifier.ts': 'export class Notifier {\n  send(userId: string, message: Record<string, unknown>): number { return userId.length + Object.keys(message).length; }\n}\n',
  'src/app/di.ts': 'export function injectable(): ClassDecorator { return () => {}; }\nexport function inject(token: unknown): ParameterDecorator { void token; return () => {}; }\n',
  'src/app/store.ts': 'export class Store {\n  get(id: string): string { return id; }\n}\n',
  'src/app/handler.ts': `import { inject, injectable } from './di.js';
import { Notifier } from '../legacy/notifier.js';
import { Store } from './store.js';

@injectable()
export class Handler {
  constructor(
    @inject(Store) private readonly store: Store,
    @inject(Notifier) private readonly notifier: Notifier,
  ) {}

  done(userId: string): number {
    return this.notifier.send(userId, { value: this.store.get(userId) });
  }
}
`,
  'src/app/wiring.ts': `import { Notifier } from '../legacy/notifier.js';
import { Handler } from './handler.js';
import { Store } from './store.js';

export const handler = new Handler(new Store(), new Notifier());
`,
};

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-injected-'));
  dirs.push(dir);
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

describe('remove-adapters on disk: an injected legacy service built by hand in another file', () => {
  test('the parameter, its decorator, the argument and the legacy import go; the guard keeps both files', async () => {
    const plan = await planRemoveAdapters(await RepoSnapshot.open(repo(FILES)));
    const out = new Map(plan.writes.map((w) => [w.path, String(w.content)]));
    expect(plan.needsReview, JSON.stringify(plan.needsReview) + JSON.stringify(plan.problems)).toEqual([]);
    expect([...out.keys()].sort()).toEqual(['src/app/handler.ts', 'src/app/wiring.ts']);
    expect(out.get('src/app/handler.ts')).toContain('  constructor(\n    @inject(Store) private readonly store: Store,\n  ) {}');
    expect(out.get('src/app/handler.ts')).toContain('return hubOperations().sendToUser(userId, { value: this.store.get(userId) });');
    expect(out.get('src/app/handler.ts')).not.toContain('Notifier');
    expect(out.get('src/app/wiring.ts')).toBe("import { Handler } from './handler.js';\nimport { Store } from './store.js';\n\nexport const handler = new Handler(new Store());\n");
  }, 60_000);

  test('when the handler\'s rewrite is withdrawn (here: the canonical module does not resolve), the wiring\'s dropped argument is withdrawn with it', async () => {
    const plan = await planRemoveAdapters(await RepoSnapshot.open(repo({ ...FILES, 'tsconfig.json': FILES['tsconfig.json']!.replace(',"baseUrl":"."', '') })));
    expect(plan.writes).toEqual([]);
    expect(plan.needsReview.map((r) => r.file).sort()).toEqual(['src/app/handler.ts', 'src/app/wiring.ts']);
  }, 60_000);
});

/**
 * A small real git repo for the manifest-against-repo checks: a legacy package with an index
 * that re-exports (and aliases) a manager class that inherits members, a factory module, an
 * adapter, a tsconfig with a "paths" alias, and the canonical module. Real files, a real
 * TypeScript program.
 */
import { makeGitRepo } from '../helpers/git-repo.js';

export { git } from '../helpers/git-repo.js';

export type Json = Record<string, unknown>;

export const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', baseUrl: '.', paths: { '@ws/*': ['src/ws/*'] } }, include: ['src'] }, null, 2),
  'src/ws/base.ts': 'export class Base {\n  baseOnly(): void {}\n}\n',
  'src/ws/manager.ts': "import { Base } from './base';\nexport class Manager extends Base {\n  send(userId: string, data: unknown): void { void userId; void data; }\n  get mode(): string { return 'legacy'; }\n}\nexport function getManager(): Manager { return new Manager(); }\nexport type ManagerMode = 'legacy' | 'canonical';\n/** A contract no class implements (a classes[] entry may describe it). */\nexport interface ManagerProtocol { connectionCount(): number }\n",
  'src/ws/factory.ts': "import { Manager } from './manager';\nexport class WebSocketManagerFactory {\n  static getInstance(): Manager { return new Manager(); }\n  static readonly version = 1;\n}\nexport const notAFunction = 1;\nexport const arrowFactory = (): Manager => new Manager();\n",
  'src/ws/index.ts': "export * from './manager';\nexport { Manager as Hub } from './manager';\nexport { WebSocketManagerFactory } from './factory';\n",
  'src/ws/adapter.ts': "import type { Manager } from './manager';\nexport class ManagerAdapter {\n  constructor(private readonly m: Manager) {}\n  notifyStarted(name: string): void { this.m.send('u', name); }\n}\n",
  'src/canonical.ts': 'export class ScopedManager {}\nexport function createManager(): ScopedManager { return new ScopedManager(); }\nexport type Mode = string;\nexport interface Ctx { userId: string }\n',
  'src/app.ts': "import { Manager } from './ws/manager';\nexport const m = new Manager();\n",
};

/** A manifest every check accepts on FILES. */
export function goodManifest(): Json {
  return {
    canonical: { module: 'src/canonical', exports: ['ScopedManager', 'createManager', 'Mode', 'Ctx', 'hubOperations'], contextType: 'Ctx', factory: 'createManager' },
    legacy: [
      { id: 'WSM001', module: 'src/ws', symbols: { Manager: 'ScopedManager', Hub: 'ScopedManager', getManager: 'createManager', WebSocketManagerFactory: 'createManager' } },
      { id: 'WSM002', module: 'src/ws/manager', symbols: { Manager: 'ScopedManager', ManagerMode: 'Mode', OldManager: 'ScopedManager' }, healed: ['OldManager'] },
      { id: 'WSM003', module: 'src/ws/factory', symbols: { WebSocketManagerFactory: 'createManager' } },
    ],
    adapters: [{ id: 'WSM004', module: 'src/ws/adapter', class: 'ManagerAdapter', unwrapArg: 0, methods: { notifyStarted: "$m.emit('started', $1)" } }],
    classes: [{ module: 'src/ws/manager', class: 'Manager', members: { send: '$user($1).sendToUser($1, $2)', baseOnly: 'undefined' }, legacyMembers: ['mode'] }],
    factory: {
      id: 'WSM005',
      entries: [
        { module: 'src/ws/factory', call: 'WebSocketManagerFactory.getInstance' },
        { module: 'src/ws', call: 'getManager' },
        { module: 'src/ws/factory', call: 'arrowFactory' },
      ],
      replacement: 'createManager($ctx)',
    },
    duplicateTypes: [],
    verify: { typecheck: 'node -e 0', test: 'node -e 0' },
  };
}

/** Writes FILES (plus `extra`) and the manifest into a fresh git repo with one commit. */
export function makeCheckRepo(manifest: Json, extra: Record<string, string> = {}): string {
  return makeGitRepo('ssot-manifest-check-', { ...FILES, ...extra, 'ssot.config.json': `${JSON.stringify(manifest, null, 2)}\n` });
}

/**
 * Generates a large fragmented monorepo: the workload for benchmarks and scale tests.
 *
 *   node --import tsx scripts/gen-monorepo.ts --out DIR [--files N] [--affected F] [--seed S] [--link]
 *
 * The repo holds the legacy WebSocket layer of examples/legacy-app (copied verbatim, so the
 * app's ssot.config.json applies unchanged), N source files in total, of which a fraction F
 * reach the legacy modules in every import form the codemods handle (named, aliased,
 * default, namespace, type-only, mixed, re-exports, `import x = require()`, `require()`,
 * dynamic `import()` inside functions, `paths` aliases, index files, comments, CRLF, BOM,
 * a colliding local name, dangling names, one unparsable file); the rest is plausible TS
 * that never touches them. Same seed, same bytes. `--link` runs link-toolkit.sh so the
 * result typechecks with the toolkit's tools (and builds the toolkit's dist/ if stale: the
 * package's exports, which the facades import, point at its compiled declarations).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLKIT = fileURLToPath(new URL('../', import.meta.url));
const LEGACY_APP = join(TOOLKIT, 'examples/legacy-app');

/** The legacy layer, copied from examples/legacy-app (repo-relative paths). */
export const LEGACY_SOURCES = [
  'src/websocket_core/unified_manager.ts',
  'src/websocket_core/websocket_manager.ts',
  'src/websocket_core/websocket_manager_factory.ts',
  'src/websocket_core/protocols.ts',
  'src/websocket_core/manager.ts',
  'src/websocket_core/index.ts',
  'src/core/interfaces_websocket.ts',
  'src/agents/supervisor/agent_registry.ts',
  'src/services/user_execution_context.ts',
] as const;

const BROKEN_FILE = 'packages/legacy_scripts/broken_merge.ts';
const SMOKE_FILE = 'test/smoke.ts';
/** Files that are not generated consumers: the legacy layer, the smoke test, the broken file. */
const FIXED_FILES = LEGACY_SOURCES.length + 2;

export const IMPORT_FORMS = [
  'named',
  'aliased',
  'default',
  'namespace',
  'import type',
  'mixed type/value',
  'export { X } from',
  'export * from',
  'dynamic import() in a function',
  'paths alias',
  'comments attached',
  'self alias',
  'factory without context',
  'adapter',
  'legacy protocol adapter',
  'second protocol',
  'dangling name',
  'colliding local name',
] as const;
export type ImportForm = (typeof IMPORT_FORMS)[number];

/** Forms that live in their own CommonJS (.cts) file. */
export const CJS_FORMS = ['import x = require()', 'require() in a function'] as const;

export interface GenMonorepoOptions {
  dir: string;
  /** Total source files (.ts/.cts), legacy layer included. Default 20,000. */
  files?: number;
  /** Fraction of files reaching legacy modules, 0..1. Default 0.05. */
  affected?: number;
  /** Same seed -> byte-identical output. Default 1. */
  seed?: number | string;
}

export interface GenMonorepoSummary {
  dir: string;
  seed: number;
  files: number;
  affectedFiles: string[];
  forms: Record<string, number>;
  crlfFiles: string[];
  bomFiles: string[];
  brokenFile: string;
}

// --- deterministic randomness -------------------------------------------------------------

function seedOf(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  let h = 2166136261;
  for (let i = 0; i < seed.length; i += 1) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for picking names. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = ['billing', 'threads', 'agents', 'auth', 'search', 'reports', 'usage', 'alerts', 'tenants', 'exports', 'audit', 'catalog', 'pricing', 'sessions', 'uploads', 'insights'];
const AREAS = ['api', 'domain', 'jobs', 'util', 'store', 'handlers', 'models', 'views'];
const NOUNS = ['invoice', 'ledger', 'thread', 'message', 'quota', 'metric', 'tenant', 'export', 'policy', 'budget', 'forecast', 'record', 'summary', 'token', 'window', 'bucket', 'cohort', 'digest', 'schedule', 'snapshot'];
const VERBS = ['compute', 'merge', 'rank', 'score', 'collect', 'normalize', 'summarize', 'filter', 'group', 'resolve'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// --- file plans ---------------------------------------------------------------------------

interface FilePlan {
  path: string;
  kind: 'plain' | 'affected' | 'cjs';
  forms: ImportForm[];
  crlf: boolean;
  bom: boolean;
}

/** `../../src/...` from a generated file to a repo path, always with `./` or `../`. */
function rel(from: string, to: string): string {
  const r = posix.relative(posix.dirname(from), to);
  return r.startsWith('.') ? r : `./${r}`;
}

interface Piece {
  imports: string[];
  body: string[];
}

function formPiece(form: ImportForm, file: string, n: number): Piece {
  const ws = (m: string) => rel(file, `src/websocket_core/${m}.js`);
  const ctxImport = `import type { UserExecutionContext } from '${rel(file, 'src/services/user_execution_context.js')}';`;
  switch (form) {
    case 'named':
      return {
        imports: [`import { WebSocketManagerMode } from '${ws('unified_manager')}';`],
        body: [`export function isIsolatedMode${n}(mode: string): boolean {`, `  return mode === WebSocketManagerMode.ISOLATED;`, `}`],
      };
    case 'aliased':
      return {
        imports: [`import { UnifiedWebSocketManager as BroadcastManager } from '${ws('unified_manager')}';`],
        body: [`export function connectionCount${n}(manager: BroadcastManager): number {`, `  return manager.getConnectionCount();`, `}`],
      };
    case 'default':
      return {
        imports: [`import UnifiedWSM from '${ws('unified_manager')}';`],
        body: [`export function activeUsers${n}(manager: UnifiedWSM): number {`, `  return manager.getStats().uniqueUsers;`, `}`],
      };
    case 'namespace':
      return {
        imports: [`import * as ws_core from '${ws('index')}';`],
        body: [`export function criticalEventCount${n}(): number {`, `  return ws_core.CRITICAL_EVENTS.length + ws_core.getWebSocketManager().getConnectionCount();`, `}`],
      };
    case 'import type':
      return {
        imports: [`import type { WebSocketManagerProtocol } from '${ws('protocols')}';`],
        body: [`export function isUserOnline${n}(manager: WebSocketManagerProtocol, userId: string): boolean {`, `  return manager.isConnectionActive(userId);`, `}`],
      };
    case 'mixed type/value':
      return {
        imports: [`import { type WebSocketConnection, getWebSocketManager as getSharedManager } from '${ws('unified_manager')}';`],
        body: [`export function connectionFor${n}(connectionId: string): WebSocketConnection | undefined {`, `  return getSharedManager().getConnection(connectionId);`, `}`],
      };
    case 'export { X } from':
      return { imports: [`export { WebSocketManager as AppWebSocketManager } from '${ws('websocket_manager')}';`], body: [] };
    case 'export * from':
      return { imports: [`export * from '${ws('protocols')}';`], body: [] };
    case 'dynamic import() in a function':
      return {
        imports: [ctxImport],
        body: [
          `export async function managerLater${n}(ctx: UserExecutionContext) {`,
          `  const { createWebSocketManager } = await import('${ws('websocket_manager_factory')}');`,
          `  return createWebSocketManager(ctx);`,
          `}`,
        ],
      };
    case 'paths alias':
      return {
        imports: [`import { WebSocketManagerFactory } from '@app/websocket_core/websocket_manager_factory.js';`, ctxImport],
        body: [`export function managerFor${n}(ctx: UserExecutionContext) {`, `  return WebSocketManagerFactory.getInstance(ctx);`, `}`],
      };
    case 'comments attached':
      return {
        imports: [
          `/** Compat path until ISSUE #1182 lands. */`,
          `import {`,
          `  getWebSocketManager as getCompatManager, // the accessor`,
          `} from '${ws('manager')}'; // legacy path`,
        ],
        body: [`export function compatConnections${n}(): number {`, `  return getCompatManager().getConnectionCount();`, `}`],
      };
    case 'self alias':
      return {
        imports: [`import { WebSocketManager as WebSocketManager } from '${ws('websocket_manager')}';`],
        body: [`export function usersOf${n}(manager: WebSocketManager): number {`, `  return manager.getStats().uniqueUsers;`, `}`],
      };
    case 'factory without context':
      return {
        imports: [`import { getWebSocketManager as getManagerNoContext } from '${ws('websocket_manager_factory')}';`],
        body: [`export function anonymousConnections${n}(): number {`, `  return getManagerNoContext().getConnectionCount();`, `}`],
      };
    case 'adapter':
      return {
        imports: [
          `import { WebSocketManagerAdapter } from '${rel(file, 'src/agents/supervisor/agent_registry.js')}';`,
          `import { createWebSocketManager as createRequestManager } from '${ws('websocket_manager_factory')}';`,
          ctxImport,
        ],
        body: [
          `export async function reportProgress${n}(ctx: UserExecutionContext, toolName: string): Promise<void> {`,
          `  const notifier = new WebSocketManagerAdapter(createRequestManager(ctx));`,
          `  await notifier.notifyAgentStarted('generated_agent_${n}');`,
          `  await notifier.notifyAgentThinking('planning step ${n}');`,
          `  await notifier.notifyToolExecuting(toolName, { step: ${n} });`,
          `  await notifier.notifyToolCompleted(toolName, { ok: true }, ${n});`,
          `  await notifier.notifyAgentCompleted('done ${n}');`,
          `}`,
        ],
      };
    case 'legacy protocol adapter':
      return {
        imports: [`import { LegacyWebSocketManagerAdapter } from '${ws('protocols')}';`, `import { getWebSocketManager as getLegacyManager } from '${ws('websocket_manager')}';`],
        body: [`export function wrapped${n}() {`, `  return new LegacyWebSocketManagerAdapter(getLegacyManager());`, `}`],
      };
    case 'second protocol':
      return {
        imports: [`import type { WebSocketManagerProtocol as InterfaceProtocol } from '${rel(file, 'src/core/interfaces_websocket.js')}';`],
        body: [`export function countVia${n}(manager: InterfaceProtocol): number {`, `  return manager.getConnectionCount();`, `}`],
      };
    case 'dangling name':
      return {
        imports: [`// @ts-ignore -- createWebSocketManagerSync was removed from the factory module`, `import { createWebSocketManagerSync } from '${ws('websocket_manager_factory')}';`],
        body: [`export const danglingReferences${n}: readonly unknown[] = [createWebSocketManagerSync];`],
      };
    case 'colliding local name':
      return {
        imports: [`import { getWebSocketManager } from '${ws('websocket_manager_factory')}';`, ctxImport],
        body: [
          `function createWebSocketManager(label: string, connections: number) {`,
          `  return { label, connections };`,
          `}`,
          `export function describeManager${n}(ctx: UserExecutionContext) {`,
          `  return createWebSocketManager(ctx.userId, getWebSocketManager(ctx).getUserConnections(ctx.userId).size);`,
          `}`,
        ],
      };
  }
}

function renderAffected(plan: FilePlan, n: number, rand: () => number): string {
  const imports: string[] = [];
  const seen = new Set<string>();
  const body: string[] = [];
  for (const form of plan.forms) {
    const piece = formPiece(form, plan.path, n);
    for (const line of piece.imports) {
      // A shared context-type import appears once; everything else is per form.
      if (line.startsWith('import type { UserExecutionContext }')) {
        if (seen.has(line)) continue;
        seen.add(line);
      }
      imports.push(line);
    }
    if (piece.body.length > 0) body.push('', ...piece.body);
  }
  const noun = pick(rand, NOUNS);
  return [
    `// ${pascal(noun)} handling that talks to the WebSocket layer (generated, seed-stable).`,
    ...imports,
    ...body,
    '',
  ].join('\n');
}

function renderCjs(plan: FilePlan, n: number): string {
  const ws = (m: string) => posix.relative(posix.dirname(plan.path), `src/websocket_core/${m}`);
  return [
    `// CommonJS island: the only place \`import x = require()\` is legal under NodeNext.`,
    `import unifiedManagerModule${n} = require('${ws('unified_manager')}');`,
    '',
    `export function sharedMode${n}(): string {`,
    `  return unifiedManagerModule${n}.getWebSocketManager().mode;`,
    `}`,
    '',
    `export function factoryLater${n}(): unknown {`,
    `  const factory = require('${ws('websocket_manager_factory')}');`,
    `  return factory.getWebSocketManagerFactory();`,
    `}`,
    '',
  ].join('\n');
}

function renderPlain(path: string, n: number, previous: { path: string; fn: string; type: string } | undefined, rand: () => number): { text: string; fn: string; type: string } {
  const noun = pick(rand, NOUNS);
  const verb = pick(rand, VERBS);
  const type = `${pascal(noun)}Record${n}`;
  const fn = `${verb}${pascal(noun)}s${n}`;
  const cls = `${pascal(noun)}Service${n}`;
  const weight = 1 + Math.floor(rand() * 9);
  const lines: string[] = [];
  if (previous) {
    lines.push(`import { ${previous.fn}, type ${previous.type} } from '${rel(path, previous.path.replace(/\.ts$/, '.js'))}';`, '');
  }
  lines.push(
    `export interface ${type} {`,
    `  id: string;`,
    `  ${noun}Count: number;`,
    `  tags: readonly string[];`,
    `}`,
    '',
    `export function ${fn}(items: readonly ${type}[]): number {`,
    `  return items.reduce((total, item) => total + item.${noun}Count * ${weight}, 0);`,
    `}`,
    '',
    `export class ${cls} {`,
    `  private readonly items = new Map<string, ${type}>();`,
    '',
    `  add(item: ${type}): void {`,
    `    this.items.set(item.id, item);`,
    `  }`,
    '',
    `  total(): number {`,
    `    return ${fn}([...this.items.values()]);`,
    `  }`,
  );
  if (previous) {
    lines.push(
      '',
      `  /** Combines with the upstream module's records. */`,
      `  combined(upstream: readonly ${previous.type}[]): number {`,
      `    return this.total() + ${previous.fn}(upstream);`,
      `  }`,
    );
  }
  lines.push(`}`, '');
  return { text: lines.join('\n'), fn, type };
}

// --- fixed files --------------------------------------------------------------------------

/** A declaration a person decided to delete: a manifest `deletions` entry with `declaration`. */
export interface DeclarationDeletion {
  path: string;
  declaration: string;
  reason: string;
}

/**
 * The person decisions the generated repo needs, as manifest entries (remove-shim applies them,
 * refusing while anything still uses a declaration): the dangling-reference const of each
 * 'dangling name' file (its import names what the factory never exported; the import goes with
 * it) and the function of each CommonJS island that `require()`s the legacy factory getter
 * (`getWebSocketManagerFactory` has no canonical counterpart). Nothing in the generated repo
 * names either: consumers are leaves, and the smoke test only calls the factory.
 */
function declarationDeletions(plans: readonly FilePlan[]): DeclarationDeletion[] {
  const out: DeclarationDeletion[] = [];
  plans.forEach((p, n) => {
    if (p.kind === 'affected' && p.forms.includes('dangling name')) {
      out.push({ path: p.path, declaration: `danglingReferences${n}`, reason: 'lists createWebSocketManagerSync, which the factory module never exported (a dangling import); nothing reads the list' });
    }
    if (p.kind === 'cjs') {
      out.push({ path: p.path, declaration: `factoryLater${n}`, reason: 'require()s the legacy factory getter, which has no canonical counterpart (one manager per context, no factory object); nothing calls it' });
    }
  });
  return out;
}

/** classes[] entry of the generated manifest for the 'second protocol' form (its one member call). */
const SECOND_PROTOCOL_ENTRY = { module: 'src/core/interfaces_websocket', class: 'WebSocketManagerProtocol', members: { getConnectionCount: '$hub.connectionCount()' } };

async function manifestText(deletions: readonly DeclarationDeletion[]): Promise<string> {
  const manifest = JSON.parse(await readFile(join(LEGACY_APP, 'ssot.config.json'), 'utf8')) as Record<string, unknown>;
  manifest.verify = { typecheck: 'npm run typecheck', test: 'npm test' };
  manifest.exclude = [];
  // legacy-app's deletions name its own dead code; the generated repo's are the broken merge half,
  // which a person drops (remove-shim refuses while a file that stays imports legacy), and the
  // declarations of declarationDeletions.
  manifest.deletions = [{ path: BROKEN_FILE, reason: 'half of a merge resolution that never compiled (excluded from tsconfig); nothing imports it' }, ...deletions];
  // the 'second protocol' form types a parameter with WSM006's three-method protocol, which no
  // legacy class implements and no canonical type matches: an entry describing the interface
  // itself lets remove-adapters rewrite its member call, and the parameter goes dead with it
  manifest.classes = [...((manifest.classes as unknown[] | undefined) ?? []), SECOND_PROTOCOL_ENTRY];
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function tsconfigText(): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        esModuleInterop: true,
        isolatedModules: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
        paths: { '@app/*': ['./src/*'] },
      },
      include: ['src', 'packages', 'test'],
      exclude: ['node_modules', BROKEN_FILE],
    },
    null,
    2,
  )}\n`;
}

function packageJsonText(): string {
  return `${JSON.stringify(
    {
      name: 'generated-monorepo',
      version: '0.0.0',
      private: true,
      type: 'module',
      scripts: { typecheck: 'tsc --noEmit', test: `tsx ${SMOKE_FILE}` },
    },
    null,
    2,
  )}\n`;
}

const SMOKE_TEXT = [
  `// Smoke test (the manifest's verify.test): one user, one event, through the legacy factory.`,
  `import { createUserExecutionContext } from '../src/services/user_execution_context.js';`,
  `import { createWebSocketManager } from '../src/websocket_core/websocket_manager_factory.js';`,
  '',
  `const frames: string[] = [];`,
  `const ctx = createUserExecutionContext({ userId: 'usr_smoke_1', threadId: 'thr_smoke_1', runId: 'run_smoke_1' });`,
  `const manager = createWebSocketManager(ctx);`,
  `await manager.addConnection({ connectionId: 'conn_smoke_1', userId: ctx.userId, socket: { send: (data: string) => frames.push(data) }, connectedAt: new Date() });`,
  `await manager.sendToUser(ctx.userId, { type: 'ping' });`,
  `if (frames.length !== 1) {`,
  `  console.error(\`smoke: expected 1 frame, got \${frames.length}\`);`,
  `  process.exit(1);`,
  `}`,
  `console.log('smoke: ok');`,
  '',
].join('\n');

const BROKEN_TEXT = [
  `// Half a merge resolution that never compiled: excluded from tsconfig, must be left untouched.`,
  `import { WebSocketManager } from '../../src/websocket_core/websocket_manager.js';`,
  '',
  `export function broken(manager: WebSocketManager {`,
  `  return manager.getConnectionCount(;`,
  `}`,
  '',
].join('\n');

// --- the generator ------------------------------------------------------------------------

function plan(files: number, affected: number, rand: () => number): FilePlan[] {
  const generated = files - FIXED_FILES;
  const affectedCount = Math.min(generated, Math.max(2, Math.round(files * affected)));
  const cjsCount = Math.max(1, Math.floor(affectedCount / 50));
  const esmAffected = affectedCount - cjsCount;
  // Enough forms per file that even a small repo uses every form at least once.
  const formsPerFile = Math.min(IMPORT_FORMS.length, Math.max(3, Math.ceil(IMPORT_FORMS.length / Math.max(1, esmAffected))));

  // Spread affected files evenly over the slots so every package has some.
  const affectedSlots = new Set<number>();
  for (let i = 0; i < affectedCount; i += 1) affectedSlots.add(Math.floor((i * generated) / affectedCount));

  const packageCount = Math.max(1, Math.ceil(generated / 400));
  const packages = Array.from({ length: packageCount }, (_, i) => `${DOMAINS[i % DOMAINS.length]}${i >= DOMAINS.length ? `_${Math.floor(i / DOMAINS.length)}` : ''}`);

  const plans: FilePlan[] = [];
  let affectedIndex = 0;
  for (let slot = 0; slot < generated; slot += 1) {
    const pkg = packages[Math.floor((slot * packageCount) / generated)] ?? 'core';
    const area = AREAS[Math.floor(slot / 25) % AREAS.length] ?? 'util';
    const noun = pick(rand, NOUNS);
    const base = `packages/${pkg}/src/${area}/${noun}_${String(slot).padStart(5, '0')}`;
    if (!affectedSlots.has(slot)) {
      plans.push({ path: `${base}.ts`, kind: 'plain', forms: [], crlf: false, bom: false });
      continue;
    }
    const k = affectedIndex;
    affectedIndex += 1;
    if (k % 50 === 49 || (k === affectedCount - 1 && cjsCount === 1 && !plans.some((p) => p.kind === 'cjs'))) {
      plans.push({ path: `${base}.cts`, kind: 'cjs', forms: [], crlf: false, bom: false });
      continue;
    }
    const esmIndex = k - Math.floor((k + 1) / 50);
    const forms = Array.from({ length: formsPerFile }, (_, j) => IMPORT_FORMS[(esmIndex * formsPerFile + j) % IMPORT_FORMS.length] as ImportForm);
    // Only one `export *` per file (two could export the same name).
    const unique = [...new Set(forms)];
    plans.push({ path: `${base}.ts`, kind: 'affected', forms: unique, crlf: esmIndex % 37 === 1, bom: esmIndex % 41 === 2 });
  }
  return plans;
}

export async function genMonorepo(options: GenMonorepoOptions): Promise<GenMonorepoSummary> {
  const files = options.files ?? 20_000;
  const affected = options.affected ?? 0.05;
  const seed = seedOf(options.seed ?? 1);
  if (!Number.isInteger(files) || files < FIXED_FILES + 20) {
    throw new RangeError(`files must be an integer >= ${FIXED_FILES + 20} (the legacy layer alone is ${FIXED_FILES} files), got ${options.files}`);
  }
  if (!(affected > 0 && affected <= 1)) throw new RangeError(`affected must be a fraction in (0, 1], got ${options.affected}`);

  const rand = prng(seed);
  const out = new Map<string, string | Buffer>();
  for (const source of LEGACY_SOURCES) out.set(source, await readFile(join(LEGACY_APP, source), 'utf8'));
  out.set('link-toolkit.sh', await readFile(join(LEGACY_APP, 'link-toolkit.sh'), 'utf8'));
  out.set('tsconfig.json', tsconfigText());
  out.set('package.json', packageJsonText());
  out.set('.gitignore', 'node_modules\n');
  out.set(SMOKE_FILE, SMOKE_TEXT);
  out.set(BROKEN_FILE, BROKEN_TEXT);

  const forms: Record<string, number> = {};
  const summary: GenMonorepoSummary = { dir: options.dir, seed, files, affectedFiles: [], forms, crlfFiles: [], bomFiles: [], brokenFile: BROKEN_FILE };
  const previousByDir = new Map<string, { path: string; fn: string; type: string }>();
  const plans = plan(files, affected, rand);
  out.set('ssot.config.json', await manifestText(declarationDeletions(plans)));
  plans.forEach((p, n) => {
    if (p.kind === 'plain') {
      const dirKey = posix.dirname(p.path);
      const rendered = renderPlain(p.path, n, previousByDir.get(dirKey), rand);
      previousByDir.set(dirKey, { path: p.path, fn: rendered.fn, type: rendered.type });
      out.set(p.path, rendered.text);
      return;
    }
    summary.affectedFiles.push(p.path);
    if (p.kind === 'cjs') {
      for (const form of CJS_FORMS) forms[form] = (forms[form] ?? 0) + 1;
      out.set(p.path, renderCjs(p, n));
      return;
    }
    for (const form of p.forms) forms[form] = (forms[form] ?? 0) + 1;
    let text = renderAffected(p, n, rand);
    if (p.crlf) {
      text = text.replace(/\n/g, '\r\n');
      summary.crlfFiles.push(p.path);
    }
    if (p.bom) {
      summary.bomFiles.push(p.path);
      out.set(p.path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
      return;
    }
    out.set(p.path, text);
  });
  forms['unparsable file'] = 1;

  out.set('.ssot-gen.json', `${JSON.stringify({ seed, files, affected, affectedFiles: summary.affectedFiles.length, forms, crlfFiles: summary.crlfFiles, bomFiles: summary.bomFiles, brokenFile: BROKEN_FILE }, null, 2)}\n`);

  const dirs = new Set([...out.keys()].map((p) => posix.dirname(p)));
  for (const d of [...dirs].sort()) await mkdir(join(options.dir, d), { recursive: true });
  for (const [path, content] of [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await writeFile(join(options.dir, path), content, path.endsWith('.sh') ? { mode: 0o755 } : {});
  }
  return summary;
}

// --- CLI ----------------------------------------------------------------------------------

function parseArgs(argv: string[]): GenMonorepoOptions & { link: boolean } {
  const options: GenMonorepoOptions & { link: boolean } = { dir: '', link: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      i += 1;
      return v;
    };
    const number = (v: string) => {
      const parsed = Number(v);
      if (!Number.isFinite(parsed)) throw new Error(`${flag} expects a number, got "${v}"`);
      return parsed;
    };
    switch (flag) {
      case '--out':
        options.dir = value();
        break;
      case '--files':
        options.files = number(value());
        break;
      case '--affected':
        options.affected = number(value());
        break;
      case '--seed': {
        const v = value();
        options.seed = /^\d+$/.test(v) ? Number(v) : v;
        break;
      }
      case '--link':
        options.link = true;
        break;
      default:
        throw new Error(`unknown argument "${flag}"`);
    }
  }
  if (!options.dir) throw new Error('--out DIR is required');
  return options;
}

export async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(`gen-monorepo: ${(error as Error).message}`);
    console.error('usage: node --import tsx scripts/gen-monorepo.ts --out DIR [--files N] [--affected F] [--seed S] [--link]');
    return 2;
  }
  try {
    const summary = await genMonorepo(options);
    if (options.link) {
      execFileSync(join(options.dir, 'link-toolkit.sh'), [TOOLKIT], { stdio: 'inherit' });
      // ssot-migrate/* resolves through package.json exports to dist/ (declarations only, as an
      // npm install would): without a fresh build the facades strangle writes do not resolve.
      execFileSync(process.execPath, [join(TOOLKIT, 'scripts/build.mjs'), '--if-stale'], { cwd: TOOLKIT, stdio: 'inherit' });
    }
    console.log(`gen-monorepo: wrote ${summary.files} files to ${options.dir} (seed ${summary.seed}, ${summary.affectedFiles.length} reaching legacy modules)`);
    return 0;
  } catch (error) {
    console.error(`gen-monorepo: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}


/**
 * A NestJS-shaped backend without Nest (test support for all-phases.test.ts): `@Injectable()`
 * providers that a container builds by their constructors' parameter types, read from the
 * `design:paramtypes` metadata TypeScript emits (`experimentalDecorators` +
 * `emitDecoratorMetadata`), and one legacy provider that is two things at once — the app's socket
 * maps and its app state (presence written to a store, an audit log). Imports go through
 * `baseUrl` (`src/…`), as Nest's generated projects write them.
 */
export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      module: 'commonjs',
      target: 'es2019',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      baseUrl: './',
      outDir: './build',
      skipLibCheck: true,
      types: ['node'],
    },
    include: ['src', 'test'],
  },
  null,
  2,
)}\n`;

export const FILES: Record<string, string> = {
  '.gitignore': 'node_modules/\nbuild/\n',
  // the container: what Nest does with providers, reduced — a class is its own injection token
  'src/di.ts': `type Ctor<T = unknown> = new (...args: any[]) => T;
const store = new WeakMap<object, Map<string, unknown>>();
const reflect = Reflect as unknown as { metadata?: (key: string, value: unknown) => (target: object) => void };
// what reflect-metadata provides: the emitted __metadata("design:paramtypes", …) calls it
if (typeof reflect.metadata !== 'function') {
  reflect.metadata = (key, value) => (target) => {
    const own = store.get(target) ?? new Map<string, unknown>();
    own.set(key, value);
    store.set(target, own);
  };
}

export function metadataOf(key: string, target: object): unknown {
  return store.get(target)?.get(key);
}

// marks the class, so the container may build it unlisted (inversify's autoBindInjectable: swarmstarv2's handler)
export function Injectable(): ClassDecorator {
  return (target) => {
    const own = store.get(target) ?? new Map<string, unknown>();
    own.set('injectable', true);
    store.set(target, own);
  };
}

export function Module(meta: { providers: Ctor[] }): ClassDecorator {
  return (target) => {
    const own = store.get(target) ?? new Map<string, unknown>();
    own.set('module', meta);
    store.set(target, own);
  };
}

export class Container {
  private readonly instances = new Map<Ctor, unknown>();
  private constructor(private readonly providers: readonly Ctor[]) {}

  static of(module: object): Container {
    const meta = metadataOf('module', module) as { providers: Ctor[] } | undefined;
    if (!meta) throw new Error('not a module');
    return new Container(meta.providers);
  }

  resolve<T>(token: Ctor<T>): T {
    if (this.instances.has(token)) return this.instances.get(token) as T;
    if (!this.providers.includes(token) && metadataOf('injectable', token) !== true) throw new Error(\`cannot resolve \${String(token && token.name)}: not a provider\`);
    const params = (metadataOf('design:paramtypes', token) ?? []) as Ctor[];
    const instance = new token(...params.map((p) => this.resolve(p)));
    this.instances.set(token, instance);
    return instance;
  }
}
`,
  'src/store/store.service.ts': `import { Injectable } from 'src/di';

export type Status = 'ONLINE' | 'OFFLINE';

@Injectable()
export class StoreService {
  readonly statuses = new Map<number, Status>();
  private readonly friends = new Map<number, number[]>([[1, [2]], [2, [1]]]);

  setStatus(id: number, status: Status): void {
    this.statuses.set(id, status);
  }

  friendsOf(id: number): number[] {
    return this.friends.get(id) ?? [];
  }
}
`,
  'src/realtime/messages.ts': `export type Outbound =
  | { type: 'STATUS'; id: number; status: 'ONLINE' | 'OFFLINE' }
  | { type: 'DM'; from: number; text: string }
  | { type: 'ANNOUNCE'; text: string };
`,
  // the legacy provider: socket maps and app state in one class
  'src/realtime/realtime.service.ts': `import { Injectable } from 'src/di';
import { StoreService } from 'src/store/store.service';
import type { WebSocket } from 'ws';
import { Outbound } from './messages';

export interface AuditEntry {
  event: string;
  at: number;
}

@Injectable()
export class RealtimeService {
  private readonly sockets = new Map<number, WebSocket>();
  private audit: AuditEntry[] = [];

  constructor(private readonly store: StoreService) {}

  /** Presence: the user is online, and their friends hear it. */
  connect(userId: number, socket: WebSocket): void {
    this.register(userId, socket);
    this.store.setStatus(userId, 'ONLINE');
    this.record('connect');
    for (const friend of this.store.friendsOf(userId)) {
      if (this.isConnected(friend)) this.push({ type: 'STATUS', id: userId, status: 'ONLINE' }, friend);
    }
  }

  disconnect(userId: number): void {
    this.unregister(userId);
    this.store.setStatus(userId, 'OFFLINE');
    this.record('disconnect');
  }

  register(userId: number, socket: WebSocket): void {
    this.sockets.set(userId, socket);
  }

  unregister(userId: number): void {
    this.sockets.delete(userId);
  }

  push(message: Outbound, userId: number): void {
    const socket = this.sockets.get(userId);
    if (socket) socket.send(JSON.stringify(message));
  }

  pushAll(message: Outbound): void {
    this.sockets.forEach((socket) => socket.send(JSON.stringify(message)));
  }

  isConnected(userId: number): boolean {
    return this.sockets.has(userId);
  }

  get size(): number {
    return this.sockets.size;
  }

  record(event: string): void {
    this.audit.push({ event, at: Date.now() });
  }

  history(): AuditEntry[] {
    return this.audit;
  }
}
`,
  'src/realtime/gateway.ts': `import { Injectable } from 'src/di';
import type { WebSocket } from 'ws';
import { RealtimeService } from './realtime.service';

@Injectable()
export class Gateway {
  constructor(private readonly realtime: RealtimeService) {}

  onOpen(socket: WebSocket, userId: number): void {
    this.realtime.connect(userId, socket);
  }

  onClose(userId: number): void {
    this.realtime.disconnect(userId);
  }
}
`,
  'src/http/controller.ts': `import { Injectable } from 'src/di';
import { RealtimeService, type AuditEntry } from 'src/realtime/realtime.service';
import { StoreService } from 'src/store/store.service';

@Injectable()
export class Controller {
  constructor(private readonly store: StoreService, private readonly realtime: RealtimeService) {}

  sendDm(from: number, to: number, text: string): boolean {
    this.realtime.record('dm');
    if (!this.realtime.isConnected(to)) return false;
    this.realtime.push({ type: 'DM', from, text }, to);
    return true;
  }

  announce(text: string): void {
    this.realtime.pushAll({ type: 'ANNOUNCE', text });
  }

  online(): number {
    return this.realtime.size;
  }

  log(): AuditEntry[] {
    return this.realtime.history();
  }

  status(id: number): string | undefined {
    return this.store.statuses.get(id);
  }
}
`,
  // a second legacy provider wrapping the first (BrianP8701/swarmstarv2's WebSocketService), auto-bound
  // (listed in no module) and injected into a handler: once its call goes to the hub the handler's parameter is unread and goes, and
  // its frozen body still calls the split class's push until remove-shim deletes both
  'src/realtime/notifier.service.ts': `import { Injectable } from 'src/di';
import { RealtimeService } from './realtime.service';

@Injectable()
export class NotifierService {
  constructor(private readonly realtime: RealtimeService) {}

  notify(userId: number, text: string): void {
    this.realtime.push({ type: 'ANNOUNCE', text }, userId);
  }
}
`,
  'src/jobs/job.handler.ts': `import { Injectable } from 'src/di';
import { NotifierService } from 'src/realtime/notifier.service';
import { StoreService } from 'src/store/store.service';

@Injectable()
export class JobHandler {
  constructor(private readonly notifier: NotifierService, private readonly store: StoreService) {}

  done(userId: number): boolean {
    if (this.store.statuses.get(userId) !== 'ONLINE') return false;
    this.notifier.notify(userId, 'job done');
    return true;
  }
}
`,
  'src/app.module.ts': `import { Module } from 'src/di';
import { Controller } from 'src/http/controller';
import { Gateway } from 'src/realtime/gateway';
import { RealtimeService } from 'src/realtime/realtime.service';
import { StoreService } from 'src/store/store.service';

@Module({ providers: [StoreService, RealtimeService, Gateway, Controller] })
export class AppModule {}
`,
  // real sockets on loopback: DI by constructor type, presence to a friend, a DM, a broadcast, the audit log
  'test/smoke.ts': `import { WebSocket, WebSocketServer } from 'ws';
import { AppModule } from 'src/app.module';
import { Container, metadataOf } from 'src/di';
import { Controller } from 'src/http/controller';
import { JobHandler } from 'src/jobs/job.handler';
import { Gateway } from 'src/realtime/gateway';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const container = Container.of(AppModule);
  const params = metadataOf('design:paramtypes', Controller) as Array<{ name: string }> | undefined;
  if (!params || params.length !== 2) fail('no design:paramtypes on Controller');
  const gateway = container.resolve(Gateway);
  const controller = container.resolve(Controller);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.on('listening', r));
  wss.on('connection', (socket, req) => {
    const id = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('user'));
    gateway.onOpen(socket as unknown as import('ws').WebSocket, id);
    socket.on('close', () => gateway.onClose(id));
  });
  const { port } = wss.address() as import('node:net').AddressInfo;
  const frames = new Map<number, string[]>([[1, []], [2, []]]);
  const open = async (id: number): Promise<WebSocket> => {
    const c = new WebSocket(\`ws://127.0.0.1:\${port}/?user=\${id}\`);
    c.on('message', (d) => frames.get(id)!.push(String(d)));
    await new Promise((r) => c.on('open', r));
    await new Promise((r) => setTimeout(r, 50));
    return c;
  };
  const one = await open(1);
  const two = await open(2);
  if (!controller.sendDm(1, 2, 'hi')) fail('user 2 not connected');
  controller.announce('all');
  await new Promise((r) => setTimeout(r, 50));
  if (!container.resolve(JobHandler).done(2)) fail('job handler: user 2 not online');
  await new Promise((r) => setTimeout(r, 100));
  const want1 = [{ type: 'STATUS', id: 2, status: 'ONLINE' }, { type: 'ANNOUNCE', text: 'all' }].map((m) => JSON.stringify(m));
  const want2 = [{ type: 'DM', from: 1, text: 'hi' }, { type: 'ANNOUNCE', text: 'all' }, { type: 'ANNOUNCE', text: 'job done' }].map((m) => JSON.stringify(m));
  if (JSON.stringify(frames.get(1)) !== JSON.stringify(want1)) fail(\`user 1 got \${JSON.stringify(frames.get(1))}\`);
  if (JSON.stringify(frames.get(2)) !== JSON.stringify(want2)) fail(\`user 2 got \${JSON.stringify(frames.get(2))}\`);
  if (controller.online() !== 2) fail(\`online \${controller.online()}\`);
  if (controller.status(2) !== 'ONLINE') fail('status not stored');
  one.close();
  two.close();
  await new Promise((r) => setTimeout(r, 100));
  if (controller.status(1) !== 'OFFLINE') fail('offline not stored');
  const events = controller.log().map((e) => e.event).join(',');
  if (events !== 'connect,connect,dm,disconnect,disconnect') fail(\`audit \${events}\`);
  wss.close();
  console.log('ok', JSON.stringify(frames.get(2)), events);
  process.exit(0);
}

void main();
`,
};

/**
 * In-memory sockets and a few helpers: the tests observe only what reaches a socket, so they
 * do not depend on how the server side is built.
 */
import { acceptSocket, dropSocket } from '../../src/http/gateway.js';

export interface Frame {
  type: string;
  runId?: string;
  threadId?: string | null;
  [field: string]: unknown;
}

/** The five run events, in the order a run produces them. */
export const RUN_SEQUENCE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;

export class MemorySocket {
  readonly raw: string[] = [];

  send(data: string): void {
    this.raw.push(data);
  }

  get frames(): Frame[] {
    return this.raw.map((data) => JSON.parse(data) as Frame);
  }

  ofType(...types: string[]): Frame[] {
    return this.frames.filter((f) => types.includes(f.type));
  }

  /** Only the five run events, in arrival order. */
  runEvents(): Frame[] {
    return this.ofType(...RUN_SEQUENCE);
  }
}

let counter = 0;
/** A user id no other test uses. */
export function uniqueUser(name: string): string {
  counter += 1;
  return `usr_${name}_${counter}_${process.pid}`;
}

export interface Tab {
  socket: MemorySocket;
  connectionId: string;
}

const open: string[] = [];

/** Opens a socket for the user the way the WebSocket upgrade does. */
export function openTab(userId: string): Tab {
  const socket = new MemorySocket();
  const connectionId = acceptSocket({ user: { id: userId }, headers: {} }, socket);
  open.push(connectionId);
  return { socket, connectionId };
}

/** Closes every tab opened through openTab (use in afterEach). */
export function closeAllTabs(): void {
  for (const id of open.splice(0)) dropSocket(id);
}

/** Resolves once check() holds; rejects after timeoutMs (delivery may be asynchronous). */
export async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets stray (asynchronous) deliveries arrive before asserting that something did NOT happen. */
export function settle(ms = 25): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

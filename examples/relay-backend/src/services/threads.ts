/**
 * Threads (conversations). In-memory here; the real store was Postgres behind the same API.
 *
 * Older code: methods take the caller's userId as a string, not a RequestScope.
 */
import { newId } from '../realtime/hub.js';
import { notifyThreadRenamed } from './notifications/thread-notices.js';

export interface Thread {
  id: string;
  ownerId: string;
  title: string;
  messages: string[];
}

export class ThreadNotFound extends Error {
  readonly status = 404;
  constructor(threadId: string) {
    super(`no thread ${threadId}`);
  }
}

export interface RenameRecord {
  threadId: string;
  by: string;
  from: string;
  to: string;
  at: number;
}

/** Audit trail of renames (the compliance team asked for it). */
export const renameLog: RenameRecord[] = [];

export class ThreadService {
  private readonly threads = new Map<string, Thread>();

  create(ownerId: string, title: string, id: string = newId('thr')): Thread {
    const thread: Thread = { id, ownerId, title, messages: [] };
    this.threads.set(id, thread);
    return thread;
  }

  append(threadId: string, message: string): void {
    this.require(threadId).messages.push(message);
  }

  /** The thread's messages, oldest first; [] for a thread we do not know (a new conversation). */
  async history(threadId: string): Promise<string[]> {
    await new Promise((resolve) => setImmediate(resolve)); // the database round trip
    return [...(this.threads.get(threadId)?.messages ?? [])];
  }

  async get(threadId: string): Promise<Thread> {
    await new Promise((resolve) => setImmediate(resolve));
    return this.require(threadId);
  }

  rename(userId: string, threadId: string, title: string): Thread {
    const thread = this.require(threadId);
    if (thread.ownerId !== userId) throw new ThreadNotFound(threadId); // do not reveal other users' threads
    const previous = thread.title;
    thread.title = title;
    recordRename(userId, thread, previous);
    return thread;
  }

  private require(threadId: string): Thread {
    const thread = this.threads.get(threadId);
    if (!thread) throw new ThreadNotFound(threadId);
    return thread;
  }
}

export function recordRename(userId: string, thread: Thread, previous: string): void {
  renameLog.push({ threadId: thread.id, by: userId, from: previous, to: thread.title, at: Date.now() });
  // Other open tabs of the owner update their sidebar.
  notifyThreadRenamed(userId, thread.id, thread.title);
}

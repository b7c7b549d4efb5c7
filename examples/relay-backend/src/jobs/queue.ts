/**
 * In-process job queue: one job at a time, in enqueue order. Emits 'completed' (job),
 * 'failed' (job, error) and 'drained' when it runs out of work.
 */
import { EventEmitter } from 'node:events';
import { newId } from '../realtime/hub.js';

export interface Job<P = unknown> {
  id: string;
  name: string;
  payload: P;
  enqueuedAt: number;
}

export type JobHandler<P> = (payload: P, job: Job<P>) => unknown;

export class JobQueue extends EventEmitter {
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly pending: Job[] = [];
  private running = false;

  define<P>(name: string, handler: JobHandler<P>): this {
    this.handlers.set(name, handler as JobHandler<never>);
    return this;
  }

  enqueue<P>(name: string, payload: P): string {
    if (!this.handlers.has(name)) throw new Error(`no job named "${name}"`);
    const job: Job<P> = { id: newId('job'), name, payload, enqueuedAt: Date.now() };
    this.pending.push(job);
    setImmediate(() => void this.pump());
    return job.id;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.once('drained', () => resolve()));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.pending.shift(); job; job = this.pending.shift()) {
        const handler = this.handlers.get(job.name) as JobHandler<unknown>;
        try {
          await handler(job.payload, job);
          this.emit('completed', job);
        } catch (error) {
          this.emit('failed', job, error);
        }
      }
    } finally {
      this.running = false;
      this.emit('drained');
    }
  }
}

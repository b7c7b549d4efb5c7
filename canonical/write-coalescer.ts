/**
 * Write coalescing per socket: the first frame written to a socket in a turn corks its stream,
 * and one scheduled flush uncorks every socket corked since, so Node hands each socket's frames of
 * that turn to the kernel as one writev instead of one write syscall per frame. Order is kept: every
 * write to a corked stream (ours, `ws.send`'s, a close frame) queues behind the earlier ones, and
 * `end()` uncorks by itself.
 */

/** The part of a net.Socket (a Node Writable) the coalescer uses. */
export interface Corkable {
  cork(): void;
  uncork(): void;
  /** How many corks are outstanding (Node Writable). */
  readonly writableCorked: number;
}

/** When the held sockets are uncorked: after the current turn's microtasks, or in the check phase. */
export type FlushTiming = 'tick' | 'immediate';

export class WriteCoalescer {
  private held: Corkable[] = [];
  private scheduled = false;
  private readonly run = (): void => this.flush();

  constructor(private readonly timing: FlushTiming) {}

  /** Corks `out` until the next flush, unless it is corked already (by us this turn, or by its owner, whose uncork sends). */
  hold(out: Corkable): void {
    if (out.writableCorked !== 0) return;
    out.cork();
    this.held.push(out);
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.timing === 'tick') process.nextTick(this.run);
      else setImmediate(this.run);
    }
  }

  /** Uncorks `out` now if this coalescer holds it; true if it did. */
  release(out: Corkable): boolean {
    const i = this.held.indexOf(out);
    if (i < 0) return false;
    this.held[i] = this.held[this.held.length - 1]!;
    this.held.pop();
    uncork(out);
    return true;
  }

  /** Uncorks every held socket now (also on hub close, so nothing stays corked). */
  flush(): void {
    this.scheduled = false;
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    for (const out of held) uncork(out);
  }
}

function uncork(out: Corkable): void {
  try {
    out.uncork();
  } catch {
    // a destroyed stream drops what it held; the others still go
  }
}

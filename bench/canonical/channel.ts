/**
 * Request/response between the bench and its child processes as JSON lines over stdio.
 * Stdio (not Node IPC) because children are started through `bash -c 'ulimit -n …; exec node …'`
 * and a pipe survives that exec with no channel-fd bookkeeping.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const REPLY_PREFIX = '@@bench-reply ';

type Handler = (args: Record<string, unknown>) => Promise<unknown> | unknown;

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/**
 * Child side: answers commands read from stdin with the handler of the same name. The child
 * exits when stdin closes, so a bench that dies never leaves it behind.
 */
export function serveCommands(handlers: Record<string, Handler>): void {
  const write = (reply: Reply) => process.stdout.write(`${REPLY_PREFIX}${JSON.stringify(reply)}\n`);
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let msg: { id: number; cmd: string; args?: Record<string, unknown> };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    const handler = handlers[msg.cmd];
    if (!handler) return write({ id: msg.id, ok: false, error: `unknown command "${msg.cmd}"` });
    Promise.resolve()
      .then(() => handler(msg.args ?? {}))
      .then(
        (result) => write({ id: msg.id, ok: true, result }),
        (err: unknown) => write({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
  rl.on('close', () => process.exit(0));
}

/** Parent side: one child process and its pending commands. */
export class ChildChannel {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private stderrTail = '';
  private exited = false;

  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    const rl = createInterface({ input: child.stdout! });
    // BENCH_CHILD_STDOUT=file appends a child's other stdout lines (e.g. node --trace-gc) to that file.
    const other = process.env.BENCH_CHILD_STDOUT;
    rl.on('line', (line) => {
      if (!line.startsWith(REPLY_PREFIX)) {
        if (other) appendFileSync(other, `${label}: ${line}\n`);
        return;
      }
      const reply = JSON.parse(line.slice(REPLY_PREFIX.length)) as Reply;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      clearTimeout(p.timer);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`${label}: ${reply.error}`));
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`${label} exited (code ${code}, signal ${signal}) during a command: ${this.stderrTail.slice(-800)}`));
        this.pending.delete(id);
      }
    });
    child.stdin!.on('error', () => undefined); // writing to a child that already died
  }

  /**
   * Starts `node [nodeArgs] --import tsx script [args]` inside bash with a raised fd limit
   * (`exec` replaces bash, so the pid is node's and killing it kills the child).
   */
  static start(label: string, script: string, args: string[], opts: { nodeArgs?: string[]; cwd: string; fdLimit?: number }): ChildChannel {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const node = [process.execPath, ...(opts.nodeArgs ?? []), '--import', 'tsx', script, ...args].map(quote).join(' ');
    const limit = opts.fdLimit ?? 65536;
    // Raise the soft limit as far as allowed; root may raise the hard one too.
    const cmd = `ulimit -Hn ${limit} 2>/dev/null; ulimit -n ${limit} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${node}`;
    const child = spawn('bash', ['-c', cmd], { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    return new ChildChannel(label, child);
  }

  call<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.label} is not running: ${this.stderrTail.slice(-800)}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: "${cmd}" timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, args })}\n`);
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Ends the child: close stdin (it exits by itself), SIGKILL if it is still there after graceMs. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** Immediate, synchronous kill (used from process 'exit' handlers). */
  kill(): void {
    if (!this.exited && this.child.pid !== undefined) {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

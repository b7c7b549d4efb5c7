// MONITOR on its own connection, without ioredis's start-up race. ioredis switches the connection to
// "monitoring" a microtask after MONITOR's OK; when the OK and another client's command arrive in the
// same TCP chunk, that line is taken for a command reply and `redis.monitor()` rejects with "Command
// queue state error" (seen in the fresh-clone CI, 2026-12-04). Such a line is a command run before the
// caller's code starts, so it is dropped; any other error still fails the start.
import type { Redis } from 'ioredis';

const QUEUE_RACE = /^Command queue state error/;

export async function startMonitor(client: Redis): Promise<Redis> {
  const m = client.duplicate({ monitor: true, lazyConnect: false });
  return new Promise<Redis>((resolve, reject) => {
    const onError = (err: Error) => {
      if (QUEUE_RACE.test(err.message)) return;
      m.off('error', onError);
      m.disconnect();
      reject(err);
    };
    m.on('error', onError);
    m.once('monitoring', () => {
      m.off('error', onError);
      // Errors after the start (the connection closing at the end) are not the test's concern.
      m.on('error', () => {});
      resolve(m);
    });
  });
}

export interface CommandRecord {
  /** The names recorded so far. */
  names: () => string[];
  stop: () => void;
}

/**
 * The names (lower case) of the commands Redis runs from now on, as MONITOR reports them, whose source
 * (`'lua'` for a script's `redis.call`, a client address otherwise) `source` accepts.
 */
export async function recordCommands(client: Redis, source: (src: string) => boolean): Promise<CommandRecord> {
  const m = await startMonitor(client);
  const seen: string[] = [];
  m.on('monitor', (_time: string, args: string[], src: string) => {
    if (source(src)) seen.push(String(args[0]).toLowerCase());
  });
  return { names: () => seen, stop: () => m.disconnect() };
}

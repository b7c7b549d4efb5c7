/**
 * The digest: counts what happened in a thread and posts it as a (tiny) run. Entirely
 * synchronous — no tool I/O — so it is a plain function.
 */
import * as realtime from '../realtime/index.js';
import type { ThreadJobPayload } from './summarize-thread.js';

export interface DigestPayload extends ThreadJobPayload {
  messages: string[];
}

export function sendDigest(payload: DigestPayload): number {
  const pusher = new realtime.RunEventPusher(realtime.HubRegistry.shared(), payload.userId, payload.runId, payload.threadId);
  pusher.pushStarted('digest');
  pusher.pushThinking(`Counting words in ${payload.messages.length} message(s)`);
  const started = performance.now();
  pusher.pushToolStart('count_words', { messages: payload.messages.length });
  const words = payload.messages.reduce((n, m) => n + m.split(/\s+/).filter(Boolean).length, 0);
  pusher.pushToolDone('count_words', { words }, Math.round(performance.now() - started));
  pusher.pushFinished(`${words} word(s) in ${payload.messages.length} message(s)`);
  return words;
}

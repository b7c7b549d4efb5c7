import type { JobPayload } from '../jobs/types.js';
import { scopeForJob } from '../jobs/scope.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

/** A payload that extends the rule's type: it carries the user too, so it is an entry point as well. */
export interface DigestPayload extends JobPayload {
  readonly messages: readonly string[];
}

export async function sendDigest(payload: DigestPayload): Promise<void> {
  await createWebSocketManager(scopeForJob(payload)).emit('digest', { count: payload.messages.length });
}

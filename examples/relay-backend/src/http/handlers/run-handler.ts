/** POST /runs — run an agent turn; its events stream to the user's open tabs. */
import { HubRegistry } from '../../realtime/registry.js';
import { RunEventPusher } from '../../realtime/pusher.js';
import { runAgent } from '../../agents/runner.js';
import type { AppServices } from '../services.js';
import type { RouteHandler } from '../router.js';
import { HttpError, type HttpRequest, type HttpResponse } from '../types.js';

interface RunBody {
  agent: string;
  prompt: string;
  tool?: string;
}

function parseBody(body: unknown): RunBody {
  const b = (body ?? {}) as Partial<Record<keyof RunBody, unknown>>;
  if (typeof b.agent !== 'string' || b.agent === '') throw new HttpError(400, 'agent is required');
  if (typeof b.prompt !== 'string' || b.prompt === '') throw new HttpError(400, 'prompt is required');
  if (b.tool !== undefined && typeof b.tool !== 'string') throw new HttpError(400, 'tool must be a string');
  return { agent: b.agent, prompt: b.prompt, ...(b.tool !== undefined ? { tool: b.tool } : {}) };
}

export class RunHandler implements RouteHandler {
  constructor(private readonly services: AppServices) {}

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const body = parseBody(req.body);
    const hub = HubRegistry.forRequest(req);
    const history = await this.services.threads.history(hub.currentScope().threadId);

    const pusher = RunEventPusher.forCurrentRequest(hub);
    const outcome = await runAgent(pusher, { agent: body.agent, prompt: body.prompt, tool: body.tool, history }, this.services.tools);
    return { status: outcome.ok ? 200 : 502, body: { runId: pusher.runId, threadId: pusher.threadId, ...outcome } };
  }
}

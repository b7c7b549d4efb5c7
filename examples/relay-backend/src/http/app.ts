/** Wires the app: services, jobs, routes. */
import { HubRegistry } from '@realtime/registry.js';
import { readRuntimeConfig } from '../config/runtime.js';
import { registerJobs } from '../jobs/index.js';
import { AnnounceHandler, ModeHandler, PresenceHandler } from './handlers/admin-handler.js';
import { RunHandler } from './handlers/run-handler.js';
import { RenameThreadHandler, SummarizeThreadHandler, TypingHandler } from './handlers/thread-handler.js';
import { Router } from './router.js';
import { createServices, type AppServices } from './services.js';

export interface App {
  router: Router<AppServices>;
  services: AppServices;
}

export function createApp(overrides: Partial<AppServices> = {}): App {
  const services = createServices(overrides);
  registerJobs(services.queue, services.threads);
  HubRegistry.shared().setMode(readRuntimeConfig().mode);

  const router = new Router(services)
    .register('POST', '/runs', RunHandler)
    .register('PATCH', '/threads/:id', RenameThreadHandler)
    .register('POST', '/threads/:id/typing', TypingHandler)
    .register('POST', '/threads/:id/summary', SummarizeThreadHandler)
    .register('POST', '/admin/announce', AnnounceHandler)
    .register('POST', '/admin/mode', ModeHandler)
    .register('GET', '/presence', PresenceHandler)
    .register('GET', '/presence/:userId', PresenceHandler);
  return { router, services };
}

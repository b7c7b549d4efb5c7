/**
 * A very small router (we outgrew Express's middleware for this service and kept only this).
 * Handlers are classes; the router makes a fresh instance per request, passing the app's
 * services to the constructor, and calls `handle`.
 */
import { MAX_PAYLOAD_BYTES } from '../realtime/hub.js';
import { HttpError, type HttpRequest, type HttpResponse, type Method } from './types.js';

export interface RouteHandler {
  handle(req: HttpRequest): HttpResponse | Promise<HttpResponse>;
}

export type HandlerClass<S> = new (services: S) => RouteHandler;

interface Route<S> {
  method: Method;
  pattern: RegExp;
  keys: string[];
  Handler: HandlerClass<S>;
}

export type IncomingRequest = Omit<HttpRequest, 'params' | 'headers'> & { headers?: HttpRequest['headers'] };

export class Router<S> {
  private readonly routes: Route<S>[] = [];

  constructor(private readonly services: S) {}

  register(method: Method, path: string, Handler: HandlerClass<S>): this {
    const keys: string[] = [];
    const source = path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, Handler });
    return this;
  }

  async dispatch(incoming: IncomingRequest): Promise<HttpResponse> {
    const body = incoming.body === undefined ? '' : JSON.stringify(incoming.body);
    if (body.length > MAX_PAYLOAD_BYTES) return { status: 413, body: { error: 'payload too large' } };
    for (const route of this.routes) {
      if (route.method !== incoming.method) continue;
      const match = route.pattern.exec(incoming.path);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1]!)));
      const req: HttpRequest = { ...incoming, headers: incoming.headers ?? {}, params };
      try {
        return await new route.Handler(this.services).handle(req);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
        return { status, body: { error: error instanceof Error ? error.message : String(error) } };
      }
    }
    return { status: 404, body: { error: `no route for ${incoming.method} ${incoming.path}` } };
  }
}

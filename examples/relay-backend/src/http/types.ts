export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What the auth middleware hands the router: an authenticated user plus the raw request bits. */
export interface HttpRequest {
  method: Method;
  path: string;
  user: { id: string; roles?: string[] };
  headers: Record<string, string | undefined>;
  /** Path parameters, filled in by the router (`/threads/:id` -> { id }). */
  params: Record<string, string>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  body?: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

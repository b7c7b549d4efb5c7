/**
 * The dashboard server: node:http for the page, its assets, the JSON state, the flip control
 * and /metrics; `ws` on /ws for live updates (the whole view is pushed when anything changes).
 * Bound to 127.0.0.1 unless told otherwise; every request's Host must name this server exactly
 * (a configured host name or a literal address of it, and its port — host-check.ts), so a
 * DNS-rebinding page cannot drive it. Flips need the token; without one configured they are
 * disabled.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { Registry } from 'prom-client';
import { deprecationIds, legacyUse, RepoSnapshot, type GlobalScript, type LegacyImport, type MarkerItem } from '../../codemods/index.js';
import { isPrometheusSpec, openEvidenceSource, windowEnding, type Evidence, type EvidenceSource } from '../../shim/evidence/index.js';
import { assertModeId, isShimMode, SHIM_MODES } from '../../shim/modes.js';
import { defaultTogglesPath } from '../../shim/toggles-file.js';
import type { ShimRuntime } from '../../shim/runtime.js';
import { toolkitPath } from '../package-root.js';
import { bearerToken, envToken, tokenMatches } from './auth.js';
import { createHostCheck } from './host-check.js';
import { ModeController } from './flips.js';
import { LiveTelemetrySource } from './live-source.js';
import { dashboardRegistry } from './metrics.js';
import { TelemetryStore } from './store.js';
import { JsonlTail } from './tail.js';
import { buildView, type DashboardView } from './view.js';

export interface DashboardOptions {
  /**
   * JSONL files or directories of them, followed as they grow; or one prometheus+http://HOST:PORT
   * (the fleet source: verdicts and use counts from the server, no per-call table).
   */
  telemetry?: string[];
  /** How often the verdicts' evidence (use and coverage over the window) is re-read. Default 10 s. */
  evidenceMs?: number;
  /** --live: the shim runtime of this process (its telemetry and mode registry). */
  runtime?: ShimRuntime;
  host?: string;
  /**
   * Host names the page may be reached by, besides the literal addresses of the server (loopback,
   * the bound address): e.g. a reverse proxy's name. Default ['localhost'].
   */
  allowedHosts?: string[];
  /** 0 picks a free port. Default 4780 (not 4318, which OTLP/HTTP collectors use). */
  port?: number;
  /** Default: the runtime's watched toggles file, else SSOT_SHIM_TOGGLES / .ssot/shim-toggles.json. */
  togglesFile?: string;
  flipLogFile?: string;
  /** Flip token; default SSOT_DASHBOARD_TOKEN (the CLI also reads --token-file). Without one, flips are refused. */
  token?: string;
  /** Repo with ssot.config.json: enables the "no import left" check and lists every id. */
  repo?: string;
  /** "Zero calls in the window". Default 7 days. */
  windowMs?: number;
  /** Poll period for appended telemetry and live samples. Default 500 ms. */
  pollMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface Dashboard {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  view(): DashboardView;
  /** Reads appended telemetry / samples live telemetry now and pushes the view. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4780;
const ASSETS = toolkitPath('scripts/dashboard/assets');
const ASSET_TYPES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
/** The request path without query; not `new URL(req.url, base)`, which reads `//x` as a host. */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!;
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  if (!options.runtime && !options.telemetry?.length) throw new Error('give telemetry files (--telemetry) or a live shim runtime (--live)');
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? envToken();
  const windowMs = options.windowMs ?? 7 * 86_400_000;
  const assets = Object.fromEntries(Object.values(ASSET_TYPES).map(([file]) => [file, readFileSync(join(ASSETS, file))]));

  const store = new TelemetryStore(windowMs);
  // Declared before anything async: a push may be scheduled while the rest still starts up.
  let tail: JsonlTail | undefined;
  let live: LiveTelemetrySource | undefined;
  let repo: string | undefined;
  let manifestIds: string[] = [];
  let imports: LegacyImport[] | undefined;
  let markers: MarkerItem[] | undefined;
  let globalScripts: GlobalScript[] | undefined;
  let importsError: string | undefined;
  const prometheus = options.telemetry?.some(isPrometheusSpec) ?? false;
  // The verdicts read use and coverage through the gate's source (shim/evidence), files or Prometheus.
  const evidenceSource: EvidenceSource | undefined = options.telemetry?.length ? openEvidenceSource(options.telemetry) : undefined;
  let evidence: Evidence | undefined;
  let evidenceError: string | undefined;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  let dirty = true;
  let cached: DashboardView | undefined;
  let pushTimer: NodeJS.Timeout | undefined;
  const changed = () => {
    dirty = true;
    if (pushTimer) return;
    // Coalesce bursts (a flush of many lines, a `*` flip touching every id) into one push.
    pushTimer = setTimeout(() => {
      pushTimer = undefined;
      broadcast();
    }, 30);
  };

  const runtime = options.runtime;
  const togglesFile = resolve(options.togglesFile ?? runtime?.toggles?.path ?? defaultTogglesPath());
  const sameWatcher = runtime?.toggles && resolve(runtime.toggles.path) === togglesFile ? runtime.toggles : undefined;
  const modes = new ModeController({
    togglesFile,
    ...(options.flipLogFile ? { flipLogFile: resolve(options.flipLogFile) } : {}),
    ...(runtime ? { registry: runtime.modes } : {}),
    ...(sameWatcher ? { watcher: sameWatcher } : {}),
    now,
    onChange: changed,
    onError: (m) => log(`dashboard: ${m}`),
  });
  await modes.load();

  let importTimer: NodeJS.Timeout | undefined;
  if (options.repo) {
    repo = resolve(options.repo);
    manifestIds = deprecationIds((await RepoSnapshot.open(repo)).manifest);
    const scan = async () => {
      try {
        // a fresh snapshot each time: phases change the tree between scans
        const use = await legacyUse(await RepoSnapshot.open(repo!));
        imports = use.imports;
        markers = use.markers;
        globalScripts = use.globalScripts;
        importsError = undefined;
      } catch (error) {
        importsError = (error as Error).message;
      }
      changed();
    };
    await scan();
    // Imports change when a phase runs; a slow rescan is enough.
    importTimer = setInterval(() => void scan(), 30_000);
    importTimer.unref();
  }

  let collecting: Promise<void> | undefined;
  const collectEvidence = (): Promise<void> =>
    (collecting ??= (async () => {
      try {
        evidence = await evidenceSource!.collect(windowEnding(windowMs, now()));
        evidenceError = undefined;
      } catch (error) {
        evidenceError = (error as Error).message;
      } finally {
        collecting = undefined;
      }
      changed();
    })());
  let evidenceTimer: NodeJS.Timeout | undefined;
  if (evidenceSource) {
    await collectEvidence();
    evidenceTimer = setInterval(() => void collectEvidence(), options.evidenceMs ?? 10_000);
    evidenceTimer.unref();
  }

  if (options.telemetry?.length && !prometheus) {
    tail = new JsonlTail(options.telemetry, {
      pollMs: options.pollMs ?? 500,
      onLines: (lines) => {
        store.add(lines);
        changed();
      },
    });
    await tail.start();
  }
  let liveTimer: NodeJS.Timeout | undefined;
  const sampleLive = () => {
    const lines = live?.sample() ?? [];
    if (lines.length) {
      store.add(lines);
      changed();
    }
  };
  if (runtime) {
    live = new LiveTelemetrySource(runtime.telemetry, now);
    sampleLive();
    liveTimer = setInterval(sampleLive, options.pollMs ?? 500);
    liveTimer.unref();
  }
  // "Zero calls in the last 7d" and the chart move with the clock even without new data.
  const tick = setInterval(changed, 5000);
  tick.unref();

  function view(): DashboardView {
    if (dirty || !cached) {
      const inputs = {
        store,
        modes,
        manifestIds,
        live: Boolean(runtime),
        files: tail?.fileList ?? [],
        skipped: tail?.skipped ?? 0,
        flipsEnabled: Boolean(token),
        now: now(),
        ...(imports ? { imports } : {}),
        ...(markers ? { markers } : {}),
        ...(globalScripts ? { globalScripts } : {}),
        ...(importsError ? { importsError } : {}),
        ...(repo ? { repo } : {}),
        ...(evidenceSource ? { evidenceSource: evidenceSource.description } : {}),
        ...(evidence ? { evidence } : {}),
        ...(evidenceError ? { evidenceError } : {}),
      };
      cached = buildView(inputs, repo ?? process.cwd());
      dirty = false;
    }
    return cached;
  }

  function broadcast(): void {
    if (clients.size === 0) return;
    const frame = JSON.stringify({ type: 'view', view: view() });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  }
  const registry = dashboardRegistry(view, () => clients.size);

  let boundPort = 0;
  const hostCheck = createHostCheck(host, options.allowedHosts, () => boundPort);
  const hostAllowed = (req: IncomingMessage): boolean => hostCheck(req.headers.host);
  const sameOrigin = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (!origin) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((ok, fail) => {
      let size = 0;
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 8192) {
          fail(new Error('request body too large'));
          req.destroy();
        } else parts.push(c);
      });
      req.on('end', () => ok(Buffer.concat(parts).toString('utf8')));
      req.on('error', fail);
    });

  const handleFlip = async (req: IncomingMessage, res: ServerResponse) => {
    if (!token) return send(res, 403, { error: 'flipping is disabled: start the dashboard with --token-file or SSOT_DASHBOARD_TOKEN' });
    if (!sameOrigin(req)) return send(res, 403, { error: 'cross-origin request refused' });
    if (!tokenMatches(bearerToken(req.headers.authorization), token)) {
      return send(res, 401, { error: 'a valid token is required to flip a mode (Authorization: Bearer <token>)' }, { 'www-authenticate': 'Bearer realm="ssot-dashboard"' });
    }
    let body: { id?: unknown; mode?: unknown; by?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch (error) {
      return send(res, 400, { error: `expected a JSON body {"id","mode","by"}: ${(error as Error).message}` });
    }
    let id: string;
    try {
      id = assertModeId(body.id, 'flip');
    } catch (error) {
      return send(res, 400, { error: (error as Error).message });
    }
    if (!isShimMode(body.mode)) return send(res, 400, { error: `unknown mode ${JSON.stringify(body.mode)}; expected one of ${SHIM_MODES.join(', ')}` });
    const by = typeof body.by === 'string' && body.by.trim() ? body.by.trim().slice(0, 64) : 'anonymous';
    try {
      const flip = await modes.flip(id, body.mode, by, req.socket.remoteAddress);
      log(`dashboard: ${by} flipped ${id} ${flip.from} -> ${flip.to}`);
      changed();
      dirty = true;
      return send(res, 200, { flip, view: view() });
    } catch (error) {
      // A malformed toggles file is refused by the shim's writer, not overwritten.
      return send(res, 409, { error: (error as Error).message });
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req)) return send(res, 421, { error: 'unexpected Host header' });
      const url = { pathname: pathOf(req) };
      if (req.method === 'POST' && url.pathname === '/api/flip') return handleFlip(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD, POST' });
      const asset = ASSET_TYPES[url.pathname];
      if (asset) {
        res.writeHead(200, { 'content-type': asset[1], ...SECURITY_HEADERS });
        return res.end(req.method === 'HEAD' ? undefined : assets[asset[0]]);
      }
      if (url.pathname === '/api/state') {
        await tail?.refresh();
        sampleLive();
        return send(res, 200, view());
      }
      if (url.pathname === '/metrics') {
        dirty = true;
        const merged = runtime ? Registry.merge([registry, runtime.telemetry.registry]) : registry;
        const text = await merged.metrics();
        res.writeHead(200, { 'content-type': merged.contentType, 'cache-control': 'no-store' });
        return res.end(text);
      }
      if (url.pathname === '/healthz') return send(res, 200, { ok: true });
      return send(res, 404, { error: 'not found' });
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (pathOf(req) !== '/ws' || !hostAllowed(req) || !sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      ws.send(JSON.stringify({ type: 'view', view: view() }));
    });
  });

  const cleanup = () => {
    tail?.close();
    if (liveTimer) clearInterval(liveTimer);
    if (importTimer) clearInterval(importTimer);
    if (evidenceTimer) clearInterval(evidenceTimer);
    if (pushTimer) clearTimeout(pushTimer);
    clearInterval(tick);
    modes.close();
  };
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', fail);
        ok();
      });
    });
  } catch (error) {
    cleanup();
    throw new Error(`cannot listen on ${host}:${options.port ?? DEFAULT_PORT}: ${(error as Error).message}`);
  }
  boundPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${boundPort}/`,
    host,
    port: boundPort,
    view,
    async refresh() {
      await tail?.refresh();
      if (evidenceSource) await collectEvidence();
      sampleLive();
      dirty = true;
      broadcast();
    },
    async close() {
      cleanup();
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Runtime settings from the environment. */

// Duplicated from realtime/hub.ts so config does not pull the realtime module in at startup.
export enum HubMode {
  Live = 'live',
  Degraded = 'degraded',
  Draining = 'draining',
}

export interface RuntimeConfig {
  mode: HubMode;
  /** How long the "typing…" indicator stays on without a new keystroke. */
  typingMs: number;
}

export function readRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const raw = env.RELAY_MODE ?? HubMode.Live;
  const mode = (Object.values(HubMode) as string[]).includes(raw) ? (raw as HubMode) : HubMode.Live;
  const typingMs = Number(env.RELAY_TYPING_MS ?? 1500);
  return { mode, typingMs: Number.isFinite(typingMs) && typingMs > 0 ? typingMs : 1500 };
}

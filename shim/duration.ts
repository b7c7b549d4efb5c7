/**
 * The one duration parser (telemetry windows: `--window 30d` for remove-shim's gate, the
 * dashboard's window). `ms` reads "90s", "15m", "12h", "7d", "2w", "1.5h", "2 days" or a plain
 * number of milliseconds. Zero, negative and unreadable values are refused everywhere: a window
 * of 0 would count no use at all, which reads as "safe" — omit the window to count every use.
 */
import ms from 'ms';

export class DurationError extends Error {
  readonly code = 'ERR_SSOT_DURATION';
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

export function parseDuration(text: string | number): number {
  const value = typeof text === 'number' ? text : /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) : ms(text.trim() as ms.StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new DurationError(`invalid duration ${JSON.stringify(text)} (expected e.g. 90s, 15m, 12h, 7d, or milliseconds)`);
  if (!(value > 0)) throw new DurationError(`a duration must be greater than 0, got ${JSON.stringify(text)} (omit the window to count every recorded use)`);
  return value;
}

/** 604800000 → "7d"; "ms" for what no larger unit divides. */
export function formatDuration(msValue: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (msValue >= size && msValue % size === 0) return `${msValue / size}${unit}`;
  }
  return `${msValue}ms`;
}

/**
 * Phase options as declared data: values from the API (camelCase or kebab-case keys) or the CLI
 * (strings) are checked against a phase's specs, defaults filled in, and handed to `plan`.
 */
import { parseDuration } from '../../shim/duration.js';
import type { Phase, PhaseOptionSpec, PhaseOptionValues } from './types.js';

export class PhaseOptionError extends Error {
  readonly code = 'ERR_SSOT_PHASE_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'PhaseOptionError';
  }
}

export const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function coerce(phase: string, spec: PhaseOptionSpec, value: unknown): unknown {
  const bad = (why: string) => new PhaseOptionError(`${phase}: option --${spec.name}: ${why}`);
  switch (spec.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw bad(`expected true or false, got ${JSON.stringify(value)}`);
    case 'integer': {
      const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
      throw bad(`expected a whole number (0 or more), got ${JSON.stringify(value)}`);
    }
    case 'string':
      if (typeof value === 'string' && value !== '') return value;
      throw bad(`expected a non-empty string, got ${JSON.stringify(value)}`);
    case 'string[]': {
      const list = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).map((v) => (typeof v === 'string' ? v.trim() : v));
      if (list.length && list.every((v) => typeof v === 'string' && v !== '')) return list;
      throw bad(`expected one or more values (a list, or comma-separated), got ${JSON.stringify(value)}`);
    }
    case 'duration':
      try {
        return parseDuration(value as string | number);
      } catch (err) {
        throw bad((err as Error).message);
      }
  }
}

/**
 * Validated option values for `phase`: every key must name a declared option (kebab-case or its
 * camelCase form); missing ones take their default. Keys of the result are camelCase.
 */
export function resolvePhaseOptions(phase: Pick<Phase, 'name' | 'options'>, raw: PhaseOptionValues = {}): PhaseOptionValues {
  const out: PhaseOptionValues = {};
  const byKey = new Map<string, PhaseOptionSpec>();
  for (const s of phase.options) {
    byKey.set(s.name, s);
    byKey.set(camelCase(s.name), s);
  }
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const spec = byKey.get(key);
    if (!spec) {
      const known = phase.options.map((s) => `--${s.name}`).join(', ') || 'none';
      throw new PhaseOptionError(`${phase.name}: unknown option "${key}" (options of ${phase.name}: ${known})`);
    }
    out[camelCase(spec.name)] = coerce(phase.name, spec, value);
  }
  for (const s of phase.options) if (!(camelCase(s.name) in out) && s.default !== undefined) out[camelCase(s.name)] = s.default;
  return out;
}

/** `--window 30d   only use whose last sighting … (default: …)`, one line per option, for --help. */
export function optionsHelp(phase: Pick<Phase, 'name' | 'options'>, indent = '    '): string[] {
  return phase.options.map((s) => {
    const flag = s.type === 'boolean' ? (s.default === true ? `--no-${s.name}` : `--${s.name}`) : `--${s.name} ${s.placeholder ?? (s.type === 'string[]' ? 'A[,B…]' : s.type.toUpperCase())}`;
    const dflt = s.default === undefined || s.type === 'boolean' ? '' : ` (default: ${Array.isArray(s.default) ? s.default.join(',') : String(s.default)})`;
    return `${indent}${flag.padEnd(26)} ${s.description}${dflt}`;
  });
}

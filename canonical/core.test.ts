/**
 * canonical/core.ts is the entry strangle's facades import (ssot-migrate/canonical/core): it
 * must hold every enum a facade can map a legacy enum to, and none of the network side whose
 * declarations (ws, jose, ioredis) a user's type check would otherwise pay for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import * as core from './core.js';
import * as index from './index.js';

const here = import.meta.dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sources(abs);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [abs] : [];
  });
}

test('every enum canonical/ exports is exported by the core entry (a facade imports canonical enums from it)', () => {
  const enums = sources(here).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^export (?:const )?enum (\w+)/gm)].map((m) => m[1]!));
  expect(enums).toContain('WebSocketManagerMode');
  for (const name of enums) if (name in index) expect(Object.keys(core), name).toContain(name);
});

test('the core entry is a subset of the full entry, without the server, auth, wire frames, client or Redis bus', () => {
  for (const name of Object.keys(core)) expect((index as Record<string, unknown>)[name], name).toBe((core as Record<string, unknown>)[name]);
  for (const name of ['createWebSocketServer', 'mintToken', 'SUBPROTOCOL', 'connectClient', 'RedisBus']) {
    expect(Object.keys(index)).toContain(name);
    expect(Object.keys(core)).not.toContain(name);
  }
  // nor does it load those modules' declarations: core.ts imports none of them
  const imports = [...readFileSync(path.join(here, 'core.ts'), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
  expect(imports.filter((s) => /server|auth|wire|client|redis/.test(s))).toEqual([]);
});

/**
 * The manifests of the public-backend trials (docs/public-backends) still load with the current
 * schema: they are the record of what a person decided, and a schema change that refuses one
 * means the trial could no longer be repeated as documented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../manifest/index.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/public-backends');
const files = readdirSync(dir).filter((f) => f.endsWith('.ssot.config.json')).sort();

describe('docs/public-backends manifests', () => {
  test('there is one per migrated backend, each named in the folder README', () => {
    expect(files).toEqual(expect.arrayContaining(['collabarative-workspace-backend-v1.ssot.config.json', 'pluggin-ai-backend.ssot.config.json', 'quickdapp-base.ssot.config.json', 'sales-agent-backend.ssot.config.json', 'ft_transcendence-notification.ssot.config.json', 'chatterbox-backend.ssot.config.json', 'PIM-chess-app-server.ssot.config.json', 'exchanger-ws.ssot.config.json', 'messager-server.ssot.config.json']));
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const f of files) expect(readme).toContain(`\`${f}\``);
  });
  for (const f of files)
    test(`${f} loads`, () => {
      const m = parseManifest(readFileSync(path.join(dir, f), 'utf8'), f);
      expect(m.legacy.length).toBeGreaterThan(0);
    });
});

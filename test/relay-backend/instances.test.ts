/**
 * On relay-backend's sources (read-only, one module and one user added in memory): the shape of
 * a backend whose legacy module exports the instance it builds (`export const sharedHub =
 * HubRegistry.shared()`) and whose code both calls members on it and hands it on as a value.
 * instances[] says what the value becomes; member calls follow relay's classes[] table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../manifest/index.js';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/index.js';

const APP = fileURLToPath(new URL('../../examples/relay-backend', import.meta.url));
const read = (f: string) => readFileSync(join(APP, f), 'utf8');

const REGISTRY = 'src/realtime/registry.ts';
const USER = 'src/services/online-report.ts';
const registry = `${read(REGISTRY)}\nexport const sharedHub = HubRegistry.shared();\n`;
const user = `import { sharedHub } from '../realtime/registry.js';

export function onlineReport(audit: (hub: unknown) => void): string {
  audit(sharedHub);
  return sharedHub.listConnectedUsers().join(',');
}
`;

async function plan(withEntry: boolean) {
  const manifest = await loadManifest(APP);
  const m = withEntry ? { ...manifest, instances: [{ module: 'src/realtime/registry', name: 'sharedHub', replacement: '$hub' }] } : manifest;
  const project = new Project({ tsConfigFilePath: join(APP, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  project.createSourceFile(join(APP, REGISTRY), registry, { overwrite: true });
  project.createSourceFile(join(APP, USER), user, { overwrite: true });
  project.resolveSourceFileDependencies();
  const texts = (f: string) => (f === REGISTRY ? registry : f === USER ? user : read(f));
  const r = analyzeRemoveAdapters(APP, m, [USER], texts, () => project);
  return r.changes.find((c) => c.file === USER)?.after ?? user;
}

describe('relay-backend: an instance the legacy registry exports (instances[])', () => {
  it('with the entry: the value read and the member call both become canonical, and the legacy import goes', async () => {
    const after = await plan(true);
    expect(after).toContain('audit(hubOperations());');
    expect(after).toContain('hubOperations().listConnectedUsers().join(');
    expect(after).not.toMatch(/realtime\/registry|sharedHub/);
  }, 120_000);

  it('without it: the member call is rewritten, the value read keeps the legacy import (remove-shim would refuse)', async () => {
    const after = await plan(false);
    expect(after).toContain('audit(sharedHub);');
    expect(after).toContain("import { sharedHub } from '../realtime/registry.js';");
  }, 120_000);
});

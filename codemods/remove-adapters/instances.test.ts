/**
 * instances[]: an instance a legacy module builds and exports itself (the shape of
 * oussamasah/pluggin-ai-backend: `export const wsManager = WebSocketManager.getInstance()`, its
 * users calling members on it and handing it on as a value). Member calls follow classes[]; every
 * other read becomes the entry's replacement, so the legacy import goes and remove-shim can run.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';
import { parseManifest } from '../../manifest/index.js';

describe('remove-adapters instances fixtures (instances[]: an exported legacy instance read as a value)', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/instances', import.meta.url)));

  it('has the nasty cases', () => {
    expect(fx.cases).toEqual(['instance-aliased', 'instance-default', 'instance-destructured', 'instance-destructured-await-import', 'instance-members', 'instance-object', 'instance-retired', 'instance-typeof', 'instance-unmapped-member', 'instance-value']);
  });

  fx.describeCases();

  it('without the entry, reads of the instance stay legacy and keep its import (the check could fail)', () => {
    const { instances: _instances, ...rest } = fx.manifest;
    const r = fx.run(fx.inputs, rest);
    const value = r.changes.find((x) => x.file === fx.fileOf('instance-value'))?.after ?? fx.inputs.get(fx.fileOf('instance-value'))!;
    expect(value).toContain("import { sessionHub, LIMIT } from '../legacy/hub.js';");
    expect(value).toContain('register({ hub: sessionHub });');
  });

  it('members destructured from the instance become their templates (a retired one goes); the destructuring and the import go', () => {
    const out = fx.outputOf('instance-destructured');
    expect(out).toContain("  const hub = hubOperations();\n  hub.broadcastAll({ type: 'status', sessionId });\n  return hub.connectionCount();");
    expect(out).not.toMatch(/sessionHub|retire|\} = hubOperations\(\)/);
  });

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });
});

describe('instances[] in the manifest', () => {
  const base = { canonical: { module: 'c', exports: ['hubOperations'] }, legacy: [{ id: 'LEG001', module: 'src/m', symbols: {} }], verify: { typecheck: 'true', test: 'true' } };
  it('loads an entry, and refuses a module that is not legacy, a duplicate, a placeholder other than $hub, and $hub without hubOperations exported', () => {
    expect(parseManifest(JSON.stringify({ ...base, instances: [{ module: 'src/m', name: 'm', replacement: '$hub' }] }), 'ssot.config.json').instances).toEqual([{ module: 'src/m', name: 'm', replacement: '$hub' }]);
    const refused = (instances: unknown[], canonical = base.canonical) => () => parseManifest(JSON.stringify({ ...base, canonical, instances }), 'ssot.config.json');
    expect(refused([{ module: 'src/x', name: 'm', replacement: '$hub' }])).toThrow(/instances\[0\]\.module: "src\/x" is not a legacy module/);
    expect(refused([{ module: 'src/m', name: 'm', replacement: '$hub' }, { module: 'src/m', name: 'm', replacement: 'x' }])).toThrow(/instances\[1\]\.name: the instance "m" of "src\/m" is already described at instances\[0\]/);
    expect(refused([{ module: 'src/m', name: 'm', replacement: '$1' }])).toThrow(/instances\[0\]\.replacement: unknown placeholder "\$1"/);
    expect(refused([{ module: 'src/m', name: 'm', replacement: '$hub' }], { module: 'c', exports: ['x'] })).toThrow(/instances\[0\]\.replacement: uses \$hub/);
  });
});

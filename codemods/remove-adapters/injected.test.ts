/**
 * A legacy service a DI container injects into a class it builds (BrianP8701/swarmstarv2's
 * inversify handler: `@inject(WebSocketService) private webSocketService: WebSocketService`).
 * Once its member calls go to the hub nothing reads the parameter (TS6138 under noUnusedLocals):
 * it goes with its decorator when the container alone builds the class, or every `new` of it is
 * in the file and drops its argument too; a `new` elsewhere keeps it, marked for a person.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';

describe('remove-adapters injected fixtures (an unread injected legacy service)', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/injected', import.meta.url)));

  it('has the cases', () => {
    expect(fx.cases).toEqual(['injected-dropped', 'injected-last', 'injected-metadata', 'injected-new-elsewhere', 'injected-new-here', 'injected-only', 'injected-still-read']);
  });

  fx.describeCases();

  it('every output typechecks under noUnusedLocals against the stub legacy and canonical modules (wiring.ts still passes the kept one)', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    project.compilerOptions.set({ noUnusedLocals: true });
    const diags = project.getPreEmitDiagnostics().filter((d) => !d.getSourceFile()?.getFilePath().includes('injected-new-elsewhere'));
    expect(project.formatDiagnosticsWithColorAndContext(diags)).toBe('');
  });

  it('without decorators the class is no container\'s: an unread legacy-class parameter stays', () => {
    const plain = fx.inputs.get(fx.fileOf('injected-only'))!.replace('@injectable()\n', '').replace('@inject(Notifier) ', '');
    const r = fx.run(new Map([[fx.fileOf('injected-only'), plain]]));
    expect(r.changes[0]?.after).toContain('constructor(private notifier: Notifier) {}');
  });
});

/**
 * A legacy service a DI container injects into a class it builds (BrianP8701/swarmstarv2's
 * inversify handler: `@inject(WebSocketService) private webSocketService: WebSocketService`).
 * Once its member calls go to the hub nothing reads the parameter (TS6138 under noUnusedLocals):
 * it goes with its decorator when the container builds the class, and every `new` of it, in this
 * file or another, drops its argument too; a spread argument, a `super()` call or an argument that
 * may do more than build the service keeps it, marked for a person with the reason.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';

describe('remove-adapters injected fixtures (an unread injected legacy service)', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/injected', import.meta.url)));

  it('has the cases', () => {
    expect(fx.cases).toEqual(['injected-dropped', 'injected-extended', 'injected-last', 'injected-metadata', 'injected-new-effect', 'injected-new-elsewhere', 'injected-new-elsewhere-wiring', 'injected-new-here', 'injected-new-spread', 'injected-only', 'injected-still-read']);
  });

  fx.describeCases();

  it('every output typechecks under noUnusedLocals against the stub legacy and canonical modules (the marked ones but for their kept, unread service)', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    project.compilerOptions.set({ noUnusedLocals: true });
    const marked = ['injected-new-spread', 'injected-extended', 'injected-new-effect'];
    const diags = project.getPreEmitDiagnostics().filter((d) => !(d.getCode() === 6138 && marked.some((c) => d.getSourceFile()?.getFilePath().endsWith(`/${c}.ts`))));
    expect(project.formatDiagnosticsWithColorAndContext(diags)).toBe('');
  });

  it('the `new` in a file the phase has nothing else to do in is that file\'s change, and says why where it cannot be', () => {
    expect(fx.first.changes.map((c) => c.file)).toContain(fx.fileOf('injected-new-elsewhere-wiring'));
    const why = (c: string): string => fx.review(c).map((r) => r.message).join('\n');
    expect(why('injected-new-spread')).toMatch(/called with spread arguments at src\/app\/injected-new-spread\.ts:\d+/);
    expect(why('injected-extended')).toMatch(/is extended at src\/app\/injected-extended\.ts:\d+ \(its super\(\) calls are not followed\)/);
    expect(why('injected-new-effect')).toMatch(/the argument `remembered\(new Notifier\(\)\)` at src\/app\/injected-new-effect\.ts:\d+ may do more than build it/);
  });

  it('without decorators the class is no container\'s: an unread legacy-class parameter stays', () => {
    const plain = fx.inputs.get(fx.fileOf('injected-only'))!.replace('@injectable()\n', '').replace('@inject(Notifier) ', '');
    const r = fx.run(new Map([[fx.fileOf('injected-only'), plain]]));
    expect(r.changes[0]?.after).toContain('constructor(private notifier: Notifier) {}');
  });
});

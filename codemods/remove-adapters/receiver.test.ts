/**
 * `$m` in a classes[] template of an interface entry: the receiver stays (an injected dependency,
 * typed canonical by the import rewrite: QuickDapp's `ISocketManager`, a server hub in one process
 * and an IPC relay in another), its calls converted (numeric ids to strings). With it: `m.opt!()`
 * on an optional member, and a downcast const only dropped receivers read (the next line's
 * leading `;` kept).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';

describe('remove-adapters receiver fixtures ($m in an interface entry)', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/receiver', import.meta.url)));

  it('has the nasty cases', () => {
    expect(fx.cases).toEqual(['receiver-cast-const', 'receiver-impure', 'receiver-interface', 'receiver-optional-call']);
  });

  for (const c of fx.cases) {
    describe(c, () => {
      it('produces the expected output and review items, marked in the code', () => void fx.expectMarkedOutput(c));
      it('changes nothing on a second run once the import rewrite has made the interface canonical (as the phase does)', () => {
        const renamed = new Map([...fx.outputs].map(([f, t]) => [f, t.replace(/import type \{ Notifier \} from '\.\.\/legacy\/contract\.js'/, "import type { HubOperations as Notifier } from 'ssot-migrate/canonical'")]));
        expect(fx.run(renamed).changes.find((x) => x.file === fx.fileOf(c))).toBeUndefined();
      });
      it('keeps CRLF line endings and a BOM', () => fx.expectCrlfBom(c));
    });
  }

  it('the outputs typecheck once the interface is canonical', () => {
    // (but the one whose optional call stays marked: it needs the legacy interface, and the phase's
    // type guard withdraws the import rewrite there, so the file stays legacy as it is)
    const kept = fx.fileOf('receiver-optional-call');
    const renamed = new Map([...fx.outputs].map(([f, t]) => [f, f === kept ? t : t.replace(/import type \{ Notifier \} from '\.\.\/legacy\/contract\.js'/, "import type { HubOperations as Notifier } from 'ssot-migrate/canonical'")]));
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...renamed]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });
});

/**
 * An extensionless Node script (`bin/www`, Express's generator writes one) that requires a legacy
 * module keeps it in use: remove-shim's gate and status see its import (a real git repo, the
 * snapshot's own listing). Before, only files with a source extension were read, so the gate
 * could call a module required by `bin/www` unused and remove-shim would delete it.
 */
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../test/helpers/git-repo.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { discoverInventory } from '../discover/early-warnings.js';
import { inventoryMarkdown } from '../discover/inventory.js';
import { legacyUse, nodeScriptImports } from './index.js';

const MANIFEST = {
  canonical: { module: 'ssot-migrate/canonical', exports: ['hubOperations'] },
  legacy: [{ id: 'LEG001', module: 'src/user-sockets', symbols: {} }],
  verify: { typecheck: 'true', test: 'true' },
};

const repo = makeGitRepo('node-scripts-', {
  'ssot.config.json': JSON.stringify(MANIFEST),
  'src/user-sockets.js': 'class UserSockets {}\nmodule.exports = new UserSockets();\n',
  'src/app.js': "module.exports = {};\n",
  'bin/www': "#!/usr/bin/env node\n\nconst sockets = require('../src/user-sockets');\nrequire('../src/app');\n",
  'bin/other': "#!/bin/sh\nnode -e \"require('../src/user-sockets')\"\n",
  'Makefile': "test:\n\tnode bin/www # require('../src/user-sockets')\n",
  'scripts/excluded-tool': "#!/usr/bin/env node\nrequire('../src/user-sockets');\n",
});
chmodSync(path.join(repo, 'bin/www'), 0o755);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('extensionless Node scripts', () => {
  it('are listed by their #! line (node, not sh; never a Makefile)', async () => {
    const s = await RepoSnapshot.open(repo);
    expect(s.nodeScripts.sort()).toEqual(['bin/www', 'scripts/excluded-tool']);
  });

  it("count as code that stays: the legacy module bin/www requires is in use, an excluded one's is not", async () => {
    const s = await RepoSnapshot.open(repo, { manifestText: JSON.stringify({ ...MANIFEST, exclude: ['scripts/**'] }) });
    const use = await legacyUse(s);
    expect(use.imports.map((i) => `${i.file}:${i.line} ${i.specifier}`)).toEqual(["bin/www:3 ../src/user-sockets"]);
    expect(use.verdicts.get('LEG001')?.safe).toBe(false);
  });

  it("discover lists them before any phase runs: the gate's own answer (nodeScriptImports), in the inventory and its Markdown", async () => {
    const s = await RepoSnapshot.open(repo, { manifestText: JSON.stringify({ ...MANIFEST, exclude: ['scripts/**'] }) });
    const inv = await discoverInventory(s);
    const gate = (await legacyUse(s)).imports.filter((i) => s.nodeScripts.includes(i.file));
    expect(inv.nodeScripts).toEqual(gate);
    expect(nodeScriptImports(s)).toEqual(gate);
    expect(inventoryMarkdown(inv)).toContain("## Node scripts reaching legacy modules (1): no phase edits them; they keep the module in use (remove-shim refuses) until a person changes them\n\n- `bin/www:3` reaches `../src/user-sockets` (src/user-sockets, LEG001)\n");
    // no legacy module here is one strangle refuses
    expect(inv.strangleRefusals).toEqual([]);
  });
});

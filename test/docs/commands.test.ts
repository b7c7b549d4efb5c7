/**
 * Docs match the code: every `ssot-migrate …` / `node bin/ssot-migrate.js …` command line shown in
 * README.md, MIGRATION.md and the folder READMEs (code blocks, inline code, the README's command
 * table) names a real command and only flags that command declares; a phase it names exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { BUILTIN_PHASES } from '../../codemods/index.js';
import { COMMANDS } from '../../scripts/commands/index.js';
import type { Command } from '../../scripts/commands/args.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function docs(): string[] {
  const out = ['README.md', 'MIGRATION.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir))) {
      const rel = dir ? `${dir}/${name}` : name;
      if (['node_modules', '.git', 'dist'].includes(name) || name.startsWith('.')) continue;
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (name === 'README.md' && dir) out.push(rel);
    }
  };
  walk('');
  return out;
}

interface Line {
  doc: string;
  line: number;
  text: string;
}

/** Command lines: in code blocks (shell comments cut), in inline code, and the README's command table. */
function commandLines(doc: string): Line[] {
  const text = readFileSync(path.join(root, doc), 'utf8');
  const out: Line[] = [];
  let fenced = false;
  let commandsTable = false;
  const prefix = /(?:^|\s|`)(?:npx\s+)?(?:ssot-migrate|node\s+bin\/ssot-migrate\.js)\s+([a-z][^`#\n]*)/g;
  text.split('\n').forEach((raw, i) => {
    if (raw.startsWith('```')) {
      fenced = !fenced;
      return;
    }
    if (raw.startsWith('## ')) commandsTable = doc === 'README.md' && raw.trim() === '## Commands';
    const candidates = fenced ? [raw.replace(/\s#\s.*$/, '')] : [...raw.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    for (const c of candidates) for (const m of c.matchAll(prefix)) out.push({ doc, line: i + 1, text: m[1]!.trim() });
    if (commandsTable && raw.startsWith('| `')) out.push({ doc, line: i + 1, text: /^\| `([^`]+)`/.exec(raw)![1]!.replace(/\\\|/g, '|') });
  });
  return out;
}

/** Names a doc declares as custom phases (`"name": "…"` in a customPhases example). */
function customNames(): Set<string> {
  const names = new Set<string>();
  for (const d of docs()) for (const m of readFileSync(path.join(root, d), 'utf8').matchAll(/"name":\s*"([a-z][a-z0-9-]*)"[^}\n]*"kind":/g)) names.add(m[1]!);
  return names;
}

describe('command lines in the docs', () => {
  const lines = docs().flatMap(commandLines);

  test('there are command lines to check (README, MIGRATION.md, folder READMEs)', () => {
    expect(lines.length).toBeGreaterThan(15);
    expect(lines.some((l) => l.doc === 'MIGRATION.md')).toBe(true);
    expect(lines.some((l) => l.doc === 'codemods/README.md')).toBe(true);
  });

  test('name real commands, flags those commands declare, and phases that exist', async () => {
    const commands = new Map<string, Command>();
    for (const entry of COMMANDS) commands.set(entry.name, (await entry.load()).command);
    const phases = new Set([...BUILTIN_PHASES.map((p) => p.name), ...customNames()]);
    const problems: string[] = [];
    for (const l of lines) {
      const [name, ...rest] = l.text.split(/\s+/);
      const where = `${l.doc}:${l.line} \`${l.text}\``;
      const cmd = commands.get(name!);
      if (!cmd) {
        problems.push(`${where}: unknown command "${name}"`);
        continue;
      }
      const flags = new Set(cmd.flags());
      for (const m of rest.join(' ').matchAll(/(?:^|[\s[(|])--([a-z][a-z0-9-]*)/g)) if (!flags.has(m[1]!)) problems.push(`${where}: ${name} has no flag --${m[1]}`);
      const first = rest[0];
      if (['run', 'rollback'].includes(name!) && first && /^[a-z][a-z0-9-]*$/.test(first) && !phases.has(first)) problems.push(`${where}: no phase "${first}"`);
    }
    expect(problems).toEqual([]);
  });
});

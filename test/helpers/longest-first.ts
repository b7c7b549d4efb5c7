/**
 * vitest sequencer: the longest test files start first, from the committed seconds of a full run
 * (file-durations.json; file-durations.mjs refreshes it). Vitest orders by its results cache, which
 * a fresh CI clone does not have, and falls back to file size: a short file with a long beforeAll
 * (a whole migration) then starts late and ends the run on one busy worker. A file not listed
 * (new, or renamed) starts before all of them, as vitest runs unknown files first.
 * The files of a project without isolation (vitest.config.ts: the unit tests) stay together, longest
 * first, where the longest of them falls: vitest hands a finished worker process the next file only when
 * that file is of the same non-isolated project, so scattered between the others each would start a
 * process of its own again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const seconds = JSON.parse(readFileSync(new URL('./file-durations.json', import.meta.url), 'utf8')) as Record<string, number>;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cost = (f: TestSpecification): number => seconds[path.relative(root, f.moduleId).split(path.sep).join('/')] ?? Number.POSITIVE_INFINITY;
    const sorted = [...(await super.sort(files))].sort((a, b) => cost(b) - cost(a));
    const inGroup = (f: TestSpecification): boolean => f.project.config.isolate === false;
    const group = sorted.filter(inGroup);
    if (group.length === 0) return sorted;
    const rest = sorted.filter((f) => !inGroup(f));
    // Where its longest listed file falls: an unlisted (new) unit file would otherwise pull the whole group first.
    const lead = group.find((f) => Number.isFinite(cost(f)));
    const at = lead ? sorted.slice(0, sorted.indexOf(lead)).filter((f) => !inGroup(f)).length : 0;
    return [...rest.slice(0, at), ...group, ...rest.slice(at)];
  }
}

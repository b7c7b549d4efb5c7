/**
 * vitest sequencer: the longest test files start first, from the committed seconds of a full run
 * (file-durations.json; file-durations.mjs refreshes it). Vitest orders by its results cache, which
 * a fresh CI clone does not have, and falls back to file size: a short file with a long beforeAll
 * (a whole migration) then starts late and ends the run on one busy worker. A file not listed
 * (new, or renamed) starts before all of them, as vitest runs unknown files first.
 * The files of a project without isolation (vitest.config.ts: the unit tests, the shared-worker
 * integration files) stay together, per project, longest first, where the longest of them falls:
 * vitest hands a finished worker process the next file only when that file is of the same
 * non-isolated project, so scattered between the others each would start a process of its own again.
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
    const rest = sorted.filter((f) => !inGroup(f));
    // One group per non-isolated project, each where its longest listed file falls: an unlisted (new)
    // file would otherwise pull its whole group first.
    const groups = [...new Set(sorted.filter(inGroup).map((f) => f.project.name))].map((name) => {
      const group = sorted.filter((f) => inGroup(f) && f.project.name === name);
      const lead = group.find((f) => Number.isFinite(cost(f)));
      return { group, at: lead ? sorted.slice(0, sorted.indexOf(lead)).filter((f) => !inGroup(f)).length : 0 };
    });
    // from the last position to the first, so that each insertion leaves the earlier positions in place
    for (const { group, at } of groups.sort((a, b) => b.at - a.at)) rest.splice(at, 0, ...group);
    return rest;
  }
}

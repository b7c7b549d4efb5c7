import { createTwoFilesPatch } from 'diff';

/** A git-style unified diff of one file (a/ b/ prefixes, so `git apply` takes it). */
export function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
}

/** What remove-adapters' commit subject says about the uses of a lookup's result it left marked. */
import type { LookupMark } from './plan-file.js';

/**
 * The uses of a lookup's result this commit leaves marked, counted in the written files whose text
 * carries the marker, so the subject never hides that part of the decision was left out: those the
 * lookup's chain templates (`getConnection.send`) do not cover and no plain template takes
 * (`; 2 use(s) of lookup results marked TODO(ssot), no chain or plain template: getConnection ×2`),
 * and sends that still go to a socket stored in a local (`; 1 send(s) to a looked-up socket kept in a
 * local marked TODO(ssot): getConnection ×1`).
 */
export function lookupMarksPhrase(marks: ReadonlyArray<LookupMark>, written: ReadonlyMap<string, string>): string {
  const uncovered = new Map<string, number>();
  const stored = new Map<string, number>();
  for (const m of marks) {
    if (!written.get(m.file)?.includes(`TODO(ssot)[${m.about}]`)) continue;
    const counted = m.stored ? stored : uncovered;
    counted.set(m.about, (counted.get(m.about) ?? 0) + 1);
  }
  const phrase = (counted: Map<string, number>, what: string): string => {
    if (counted.size === 0) return '';
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    return `; ${total} ${what}: ${[...counted].map(([a, n]) => `${a} ×${n}`).join(', ')}`;
  };
  return phrase(uncovered, 'use(s) of lookup results marked TODO(ssot), no chain or plain template') + phrase(stored, 'send(s) to a looked-up socket kept in a local marked TODO(ssot)');
}

/** The TODO(ssot) marker: what remove-adapters writes where it will not guess, and what blocks remove-shim. */
import type { ReviewItem } from '../phase/types.js';

export const TODO_MARKER = 'TODO(ssot)';

/** `// TODO(ssot): <note>` at the given indentation. */
export function todoComment(note: string, indent = ''): string {
  return `${indent}// ${TODO_MARKER}: ${note}`;
}

export function hasTodoMarker(text: string): boolean {
  return text.includes(TODO_MARKER);
}

/** Every line carrying the marker, in the given files (source files: docs that talk about the marker are not code). */
export function todoMarkers(files: readonly string[], read: (f: string) => string | undefined): ReviewItem[] {
  const out: ReviewItem[] = [];
  for (const file of files) {
    const text = read(file);
    if (text === undefined || !hasTodoMarker(text)) continue;
    text.split('\n').forEach((l, i) => {
      if (hasTodoMarker(l)) out.push({ file, line: i + 1, message: l.trim() });
    });
  }
  return out;
}

// A candidate file's text as the engine reads it, on the main thread or the read-ahead thread
// (read-worker.js): plain JS, because that thread runs it with no loader (from the TypeScript
// sources too); types in source-text.d.ts. The build copies both into dist/ as they are.
import { readFileSync } from 'node:fs';

/**
 * The text of `path` read as UTF-8 by Node's native path (one call, no Buffer: ~10% less CPU over
 * the bench's 20,000 files); only a text holding U+FFFD is read again as bytes, to tell a real
 * U+FFFD from an invalid sequence. `{ missing: true }`: listed by git but deleted in the work tree.
 */
export function readSourceText(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
    if (text.includes('\uFFFD')) {
      const buf = readFileSync(path);
      text = buf.toString('utf8');
      if (text.includes('\uFFFD') && !buf.equals(Buffer.from(text, 'utf8'))) return { skipped: 'not valid UTF-8 (left byte-identical)' };
    }
  } catch (err) {
    if (err?.code === 'ENOENT') return { missing: true };
    return { skipped: `unreadable: ${err?.message}` };
  }
  return { text };
}

/** Whether `text` contains one of `tokens`: a syntax transform's prefilter (engine/transform.ts). */
export function containsAny(text, tokens) {
  for (const t of tokens) if (text.includes(t)) return true;
  return false;
}

/**
 * readSourceText with a transform's prefilter applied where the file is read: a text containing
 * none of `tokens` comes back as `{ filtered: true }`, without its text. On the read-ahead thread
 * that keeps the ~95% of texts no transform parses (and their search) off the main thread.
 */
export function readCandidate(path, tokens) {
  const read = readSourceText(path);
  return tokens !== undefined && 'text' in read && !containsAny(read.text, tokens) ? FILTERED : read;
}

const FILTERED = Object.freeze({ filtered: true });

/** Reads a JUnit XML report into test id -> outcome. Enough XML for what test runners write. */
export type Outcome = 'passed' | 'failed' | 'skipped';

function attr(tag: string, name: string): string {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : '';
}

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function parseJUnit(xml: string): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  const re = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const head = m[1]!;
    const body = m[3] ?? '';
    const id = `${attr(head, 'classname')} › ${attr(head, 'name')}`;
    const outcome: Outcome = /<(failure|error)\b/.test(body) ? 'failed' : /<skipped\b/.test(body) ? 'skipped' : 'passed';
    out.set(id, outcome);
  }
  return out;
}

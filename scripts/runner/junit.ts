/**
 * Reads a JUnit XML report into test id -> outcome, with fast-xml-parser: a real XML parser
 * (CDATA, comments, entities and numeric character references, single-quoted attributes, a
 * `<testcase` inside captured output) where a regex read only the shapes it expected, and a
 * truncated or malformed report is refused with its line instead of half-read.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type Outcome = 'passed' | 'failed' | 'skipped';

export class JUnitReportError extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  htmlEntities: true,
  parseAttributeValue: false,
  parseTagValue: false,
  // Every element as an array, so one testcase and many read alike.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

type Node = Record<string, unknown>;

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * Node's test runner (`node --test --test-reporter=junit`) names no file or class: every testcase's
 * classname is this placeholder, and a describe block is a `<testsuite>` around its tests.
 */
const NODE_CLASSNAME = 'test';

/**
 * Every `<testcase>` of a report, wherever the suites nest it, with its id (`classname › name`).
 * A testcase of node's reporter is named by the suites around it instead (`describe › test`), as
 * vitest's `describe > test` names do; a top-level one keeps `test › name`. An id that comes again
 * (tests of one name in two files: node's report does not tell the files apart) is numbered by its
 * occurrence — `id (2)` — so that none hides another's outcome and the count stays the report's.
 */
function testcases(xml: string): Array<{ id: string; tc: Node }> {
  const out: Array<{ id: string; tc: Node }> = [];
  const seen = new Map<string, number>();
  const visit = (node: unknown, suites: readonly string[]): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, suites));
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Node)) {
      if (key === 'testsuite') {
        for (const suite of value as Node[]) visit(suite, [...suites, text(suite['@name'])]);
        continue;
      }
      if (key !== 'testcase') {
        visit(value, suites);
        continue;
      }
      for (const tc of value as Node[]) {
        const classname = text(tc['@classname']);
        const owner = classname === NODE_CLASSNAME && suites.length ? suites.join(' › ') : classname;
        const base = `${owner} › ${text(tc['@name'])}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        out.push({ id: n === 1 ? base : `${base} (${n})`, tc });
      }
    }
  };
  visit(parser.parse(xml), []);
  return out;
}

export function parseJUnit(xml: string): Map<string, Outcome> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new JUnitReportError(`the JUnit report is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const out = new Map<string, Outcome>();
  for (const { id, tc } of testcases(xml)) {
    out.set(id, 'failure' in tc || 'error' in tc ? 'failed' : 'skipped' in tc ? 'skipped' : 'passed');
  }
  return out;
}

/** The failure (or error) message of each failing test: its message attribute, else its text's first line. */
export function parseJUnitFailures(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  if (XMLValidator.validate(xml) !== true) return out;
  const first = (v: unknown): string => {
    const n = (Array.isArray(v) ? v[0] : v) as unknown;
    if (typeof n === 'string') return n;
    if (n && typeof n === 'object') {
      const o = n as Node;
      return text(o['@message']) || first(o['#text']);
    }
    return '';
  };
  for (const { id, tc } of testcases(xml)) {
    if (!('failure' in tc || 'error' in tc)) continue;
    const msg = first(tc['failure']) || first(tc['error']);
    out.set(id, msg.trim().split('\n')[0] ?? '');
  }
  return out;
}

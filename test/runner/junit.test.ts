import { describe, expect, test } from 'vitest';
import { JUnitReportError, parseJUnit } from '../../scripts/runner/junit.js';

describe('parseJUnit', () => {
  test('reads outcomes through comments, CDATA, entities, nested suites and captured output', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- <testcase classname="comment" name="not a test"/> -->
<testsuites><testsuite name="s">
  <testcase classname="suite &amp; co" name='says "hi" &#8250; there'><failure message="x"><![CDATA[<testcase classname="cdata" name="inner"/>]]></failure></testcase>
  <testcase classname="suite" name="ok"><system-out>&lt;testcase classname="out" name="nope"/&gt;</system-out></testcase>
  <testcase classname="suite" name="skipped"><skipped/></testcase>
  <testcase classname="suite" name="single"/>
  <testsuite name="nested"><testcase classname="n" name="e"><error message="boom"/></testcase></testsuite>
</testsuite></testsuites>`;
    expect([...parseJUnit(xml)]).toEqual([
      ['suite & co › says "hi" › there', 'failed'],
      ['suite › ok', 'passed'],
      ['suite › skipped', 'skipped'],
      ['suite › single', 'passed'],
      ['n › e', 'failed'],
    ]);
  });

  test('refuses a truncated report instead of reading half of it', () => {
    const xml = '<testsuites><testsuite name="s"><testcase classname="a" name="b"/><testcase classname="a" name="c"><fail';
    expect(() => parseJUnit(xml)).toThrow(JUnitReportError);
    expect(() => parseJUnit(xml)).toThrow(/not well-formed XML \(line 1/);
  });
});

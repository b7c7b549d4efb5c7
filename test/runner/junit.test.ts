import { describe, expect, test } from 'vitest';
import { JUnitReportError, parseJUnit, parseJUnitFailures } from '../../scripts/runner/junit.js';

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

  test("node's reporter (`node --test --test-reporter=junit`, Node 20): a test is named by its describe blocks, one name in two files counted twice, a failure never hidden by a pass of the same name", () => {
    // node 20.20's output for a.test.mjs (describe outer { describe inner { works }, works (fails) }, works, skip) and b.test.mjs (works)
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testsuite name="outer" time="0.01" disabled="0" errors="0" tests="2" failures="1" skipped="0" hostname="vm">
		<testsuite name="inner" time="0.004" disabled="0" errors="0" tests="1" failures="0" skipped="0" hostname="vm">
			<testcase name="works" time="0.003" classname="test"/>
		</testsuite>
		<testcase name="works" time="0.006" classname="test" failure="1 == 2">
			<failure type="testCodeFailure" message="1 == 2">
Error [ERR_TEST_FAILURE]: 1 == 2
			</failure>
		</testcase>
	</testsuite>
	<testcase name="works" time="0.0001" classname="test"/>
	<testcase name="skipped one" time="0.0001" classname="test">
		<skipped type="skipped" message="true"/>
	</testcase>
	<testcase name="works" time="0.005" classname="test"/>
	<!-- tests 5 -->
	<!-- fail 1 -->
</testsuites>`;
    expect([...parseJUnit(xml)]).toEqual([
      ['outer › inner › works', 'passed'],
      ['outer › works', 'failed'],
      ['test › works', 'passed'],
      ['test › skipped one', 'skipped'],
      ['test › works (2)', 'passed'],
    ]);
    expect([...parseJUnitFailures(xml)]).toEqual([['outer › works', '1 == 2']]);
  });

  test('refuses a truncated report instead of reading half of it', () => {
    const xml = '<testsuites><testsuite name="s"><testcase classname="a" name="b"/><testcase classname="a" name="c"><fail';
    expect(() => parseJUnit(xml)).toThrow(JUnitReportError);
    expect(() => parseJUnit(xml)).toThrow(/not well-formed XML \(line 1/);
  });
});

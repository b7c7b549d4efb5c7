// Reads vitest's JSON report and prints "<passed> <failed>": a file that failed to load
// (no tests collected) counts as one failure, so a broken import cannot hide as "0 failed".
const report = require(require('node:path').resolve(process.argv[2]));
let failed = report.numFailedTests;
for (const file of report.testResults) {
  if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
}
console.log(report.numPassedTests, failed);

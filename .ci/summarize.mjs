// Sums every package's vitest JSON report into the one line CI ends with: `N passed, M failed`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function* reports(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* reports(path);
    else if (name === 'test-results.json') yield path;
  }
}

const flaky = [];
let passed = 0;
let failed = 0;
for (const path of reports(process.cwd())) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  if (report.numFailedTestSuites) console.error(`${path}: ${report.numFailedTests} failed tests, ${report.numFailedTestSuites} failed files`);
  // The log above this line is cut short where CI output is kept: name each failure here, at the end.
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && !file.assertionResults?.some((test) => test.status === 'failed')) {
      console.error(`  FAIL ${file.name}: ${firstLines(file.message)}`);
    }
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'failed') console.error(`  FAIL ${file.name} > ${test.fullName}: ${firstLines(test.failureMessages?.[0])}`);
      else if (test.status === 'passed' && test.failureMessages?.length) flaky.push(`  FLAKY (passed on its retry) ${file.name} > ${test.fullName}: ${firstLines(test.failureMessages[0])}`);
    }
  }
}

/** A failure's first three lines on one line, for the end of the log. */
function firstLines(text = '') {
  return text.split('\n').slice(0, 3).join(' | ').slice(0, 600);
}
for (const line of flaky) console.error(line);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;

// Runs ops/k6-smoke.js's request logic under Node against a live service, with k6's modules replaced by
// minimal stand-ins (curl for HTTP), because k6 itself cannot be installed here. It checks that the options
// are well formed and that ITERATIONS iterations pass every check. Used by .ci/ops-checks.sh:
//   BASE_URL=http://127.0.0.1:PORT node ops/k6-harness.mjs STAGED_DIR
// where STAGED_DIR holds k6-smoke.mjs and node_modules/k6 made by the check script.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = process.argv[2];
const iterations = parseInt(process.env.ITERATIONS || '50', 10);
const script = await import(pathToFileURL(path.join(dir, 'k6-smoke.mjs')));
const { results } = await import(pathToFileURL(path.join(dir, 'node_modules/k6/index.js')));

const problems = [];
const executors = new Set(['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate',
  'per-vu-iterations', 'shared-iterations', 'externally-controlled']);
for (const [name, scenario] of Object.entries(script.options.scenarios)) {
  if (!executors.has(scenario.executor)) problems.push(`scenario ${name} has unknown executor ${scenario.executor}`);
}
const threshold = /^(rate|p\(\d+(\.\d+)?\)|avg|min|max|med|count)\s*(<|<=|>|>=|==)\s*\d+(\.\d+)?$/;
for (const [metric, rules] of Object.entries(script.options.thresholds)) {
  for (const rule of rules) {
    if (!threshold.test(rule)) problems.push(`threshold ${metric}: ${rule} is malformed`);
  }
}
for (let i = 0; i < iterations; i++) {
  script.default();
}
if (results.failed > 0) problems.push(`${results.failed} of ${results.passed + results.failed} checks failed`);
if (results.passed === 0) problems.push('no check ran');
if (problems.length > 0) {
  console.error(`k6-harness: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`k6-harness: ${iterations} iterations, ${results.passed} checks passed, ${results.denials} denials`);

// Smoke and load test of the decision service's POST /allow, for k6 (https://k6.io).
//   k6 run -e BASE_URL=http://localhost:8080 ops/k6-smoke.js
// A denial is a 200 with "allowed": false, so any other status is an error. The run fails when more than
// 0.1 % of requests fail or p99 latency exceeds P99_MS (default 100 ms). ops/smoke.sh runs the same smoke
// with wrk where k6 is not installed; .ci/ops-checks.sh checks this file's syntax and runs its request logic.
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:8080';
const USERS = parseInt(__ENV.USERS || '1000', 10);
const RESOURCE = __ENV.RESOURCE || 'default';
const P99_MS = parseInt(__ENV.P99_MS || '100', 10);

const denials = new Rate('r8limiter_denials');

export const options = {
  scenarios: {
    smoke: {
      executor: 'constant-vus',
      vus: 2,
      duration: '15s',
    },
    load: {
      executor: 'ramping-arrival-rate',
      startTime: '15s',
      startRate: 20,
      timeUnit: '1s',
      preAllocatedVUs: 20,
      maxVUs: 100,
      stages: [
        { target: 200, duration: '30s' },
        { target: 200, duration: '60s' },
        { target: 0, duration: '10s' },
      ],
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    http_req_duration: [`p(99)<${P99_MS}`],
    checks: ['rate>0.999'],
  },
};

export function allowUrl(user) {
  const query = `user_id=${encodeURIComponent(user)}&resource=${encodeURIComponent(RESOURCE)}&cost=1`;
  return `${BASE_URL}/allow?${query}`;
}

export default function () {
  const user = `k6-user-${Math.floor(Math.random() * USERS)}`;
  const res = http.post(allowUrl(user), null, { tags: { name: 'POST /allow' } });
  const ok = check(res, {
    'status is 200': (r) => r.status === 200,
    'body carries a decision': (r) => typeof r.json('allowed') === 'boolean',
  });
  if (ok) {
    denials.add(res.json('allowed') === false);
  }
}

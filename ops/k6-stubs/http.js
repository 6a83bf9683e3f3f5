// Stand-in for 'k6/http': synchronous requests through curl, as k6's own calls are synchronous.
import { execFileSync } from 'node:child_process';

globalThis.__ENV = globalThis.__ENV || { ...process.env };

function request(method, url) {
  const out = execFileSync('curl', ['-sS', '--max-time', '5', '-X', method, '-w', '\n%{http_code}', url],
    { encoding: 'utf8' });
  const cut = out.lastIndexOf('\n');
  const body = out.slice(0, cut);
  return {
    status: parseInt(out.slice(cut + 1), 10),
    body,
    json(selector) {
      const doc = JSON.parse(body);
      return selector === undefined ? doc : selector.split('.').reduce((v, k) => (v == null ? v : v[k]), doc);
    },
  };
}

export function post(url) {
  return request('POST', url);
}

export function get(url) {
  return request('GET', url);
}

export default { post, get };

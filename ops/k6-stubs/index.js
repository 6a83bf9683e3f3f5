// Stand-in for the 'k6' module: check() counts passed and failed conditions like k6 does.
globalThis.__ENV = globalThis.__ENV || { ...process.env };

export const results = { passed: 0, failed: 0, denials: 0 };

export function check(value, conditions) {
  let all = true;
  for (const [name, condition] of Object.entries(conditions)) {
    let ok;
    try {
      ok = Boolean(condition(value));
    } catch (e) {
      ok = false;
    }
    if (ok) {
      results.passed++;
    } else {
      results.failed++;
      all = false;
      console.error(`check failed: ${name} (status ${value && value.status}, body ${value && value.body})`);
    }
  }
  return all;
}

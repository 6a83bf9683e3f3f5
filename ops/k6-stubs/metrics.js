// Stand-in for 'k6/metrics': a Rate that counts true samples into the harness results.
import { results } from './index.js';

export class Rate {
  constructor(name) {
    this.name = name;
  }

  add(value) {
    if (value) {
      results.denials++;
    }
  }
}

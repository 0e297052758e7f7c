import { whyUnsafe } from '../../../src/domain/safe-regex';

describe('whyUnsafe', () => {
  it('accepts the default patterns and other ordinary ones', () => {
    for (const safe of ['^(inc|incident)[-_]', '^(resolved|closed)[-_]', '^inc-\\d+-[a-z-]+$', '^(?:sev[12]|p0)[-_]', '(abc)+', '^(?<kind>inc|ops)-', '[a-z]+-[0-9]*', '^(a|b)?x', '(ab){2}c']) {
      expect([safe, whyUnsafe(safe)]).toEqual([safe, null]);
    }
  });

  it('refuses nested quantifiers', () => {
    for (const unsafe of ['(a+)+', '^(inc-\\w*)*$', '((a)+)+', '(.*a){20}', '(x+x+)+y', '(?:[a-z]+-)*incident']) {
      expect([unsafe, whyUnsafe(unsafe)]).toEqual([unsafe, expect.stringContaining('nested quantifiers')]);
    }
  });

  it('refuses alternatives that overlap under a quantifier', () => {
    for (const unsafe of ['(a|a)*', '(a|ab)+$', '^(\\w|\\d)*$', '(inc|INC-x)+', '(.|x){2,}', '(a|)*']) {
      expect([unsafe, whyUnsafe(unsafe)]).toEqual([unsafe, expect.stringContaining('alternatives that can match the same text')]);
    }
  });

});

import { resolveUsergroupNames, watchedIds } from '../../../src/domain/usergroups';

describe('resolveUsergroupNames', () => {
  const groups = [
    { id: 'S0ENG', handle: 'engineering' },
    { id: 'S0SRE', handle: 'SRE' },
  ];
  it('finds groups by id or by handle, whatever its case, each once', () => {
    expect(resolveUsergroupNames(['engineering', 'sre', 'S0ENG'], groups)).toEqual({ ids: ['S0ENG', 'S0SRE'], unknown: [] });
  });
  it('names what matches no group', () => {
    expect(resolveUsergroupNames(['engineering', 'sales', 'S0NOPE'], groups)).toEqual({ ids: ['S0ENG'], unknown: ['sales', 'S0NOPE'] });
  });
});

describe('watchedIds', () => {
  it('is every eligible and admin group, once', () => {
    expect(watchedIds({ eligible: ['S0ENG', 'S0SRE'], admin: ['S0SRE', 'S0LEADS'] })).toEqual(['S0ENG', 'S0SRE', 'S0LEADS']);
    expect(watchedIds({ eligible: [], admin: [] })).toEqual([]);
  });
});

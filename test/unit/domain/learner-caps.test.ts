import { learnerCap, responderCap, severityCap } from '../../../src/domain/learner-caps';
import { DEFAULT_LEARNERS_BY_SEVERITY, parseLearnersBySeverity } from '../../../src/domain/severity';

const caps = parseLearnersBySeverity(DEFAULT_LEARNERS_BY_SEVERITY);

describe('learner caps', () => {
  it('caps by the severity when known and listed, not otherwise', () => {
    expect([0, 1, 2, 3, 4, 5].map((s) => severityCap(s, caps))).toEqual([0, 1, 1, 2, 2, 2]);
    expect(severityCap(null, caps)).toBeNull();
    expect(severityCap(4, parseLearnersBySeverity('0:0,1:1'))).toBeNull();
  });

  it('allows MAX_LEARNERS_PER_RESPONDER per human responding, at least one when anyone responds; 0 turns it off', () => {
    expect(responderCap(0, 1)).toBe(0);
    expect(responderCap(1, 1)).toBe(1);
    expect(responderCap(3, 1)).toBe(3);
    expect(responderCap(2, 2)).toBe(4);
    expect(responderCap(5, 0)).toBeNull();
  });

  it('takes the lower cap and says which', () => {
    expect(learnerCap({ severity: 3, humansResponding: 1 }, { learnersBySeverity: caps, maxLearnersPerResponder: 1 })).toEqual({ limit: 1, by: 'responders' });
    expect(learnerCap({ severity: 1, humansResponding: 4 }, { learnersBySeverity: caps, maxLearnersPerResponder: 1 })).toEqual({ limit: 1, by: 'severity' });
    expect(learnerCap({ severity: null, humansResponding: 4 }, { learnersBySeverity: caps, maxLearnersPerResponder: 0 })).toEqual({ limit: null, by: null });
  });
});

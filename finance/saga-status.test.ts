// The one translation of the saga's status, from the workflow's French to what Vigie stores.
import { describe, expect, it } from 'vitest';
import { STATUTS_SAGA } from '../temporal/workflows/payment.contract';
import { SAGA_STATUSES, sagaStatusFromWire, storedSagaStatus } from './saga-status';

describe('saga status as stored', () => {
  it('maps each of the workflow’s statuses to its own English one', () => {
    expect(STATUTS_SAGA.map((s) => sagaStatusFromWire[s])).toEqual([...SAGA_STATUSES]);
  });

  it('refuses what the workflow never sends instead of storing it', () => {
    expect(storedSagaStatus('compensation_incomplète')).toBe('compensation_incomplete');
    for (const odd of ['running', 'perdue', 'toString', '']) expect(() => storedSagaStatus(odd)).toThrow(/unknown saga status/);
  });
});

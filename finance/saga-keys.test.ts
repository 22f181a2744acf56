// The saga's keys are wire values (the provider and the ledger already hold them): pinned here, since every other test builds them through saga-keys.ts.
import { describe, expect, it } from 'vitest';
import { chargeDescription, incidentKey, SAGA_KEYS, sagaFailureReason } from './saga-keys';

describe('saga keys', () => {
  it('keeps the seed saga’s keys, reason and description exactly', () => {
    expect(Object.fromEntries(Object.entries(SAGA_KEYS).map(([kind, key]) => [kind, key('CMD-42')]))).toEqual({
      charge: 'charge-CMD-42',
      transfer: 'transfert-CMD-42',
      insurance: 'assurance-CMD-42',
      refund: 'remboursement-CMD-42',
      transfer_reversal: 'inversion-transfert-CMD-42',
      insurance_cancel: 'annulation-assurance-CMD-42',
    });
    expect(incidentKey('CMD-42')).toBe('incident-CMD-42');
    expect(sagaFailureReason('CMD-42')).toBe('Saga échec — commande CMD-42');
    expect(chargeDescription('CMD-42')).toBe('Commande #CMD-42');
  });
});

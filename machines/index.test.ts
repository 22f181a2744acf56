import { describe, expect, it } from 'vitest';
import * as machines from './index';

describe('machines public API', () => {
  it('exposes both seed machines with their ids and versions', () => {
    expect(machines.machineCheckout.id).toBe('checkout');
    expect(machines.machineCheckout.version).toBe(machines.CHECKOUT_MACHINE_VERSION);
    expect(machines.machineDragAndDropKanban.id).toBe('dndKanban');
    expect(machines.machineDragAndDropKanban.version).toBe(machines.KANBAN_MACHINE_VERSION);
    expect(machines.consoleActionMachine.id).toBe('consoleAction');
  });

  it('exposes persistence, reporting and the default I/O factories as functions', () => {
    for (const name of ['persistSnapshot', 'restoreActor', 'createReporter', 'createCheckoutActors', 'createKanbanActors', 'activeStateNodes'] as const) {
      expect(typeof machines[name]).toBe('function');
    }
  });
});

import { createActor } from 'xstate';
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

  it('exposes working persistence: a snapshot persisted through the public API restores to the same state', () => {
    const actor = createActor(machines.machineCheckout).start();
    const persisted = machines.persistSnapshot(actor);
    expect(persisted).toMatchObject({ machineId: 'checkout', version: machines.CHECKOUT_MACHINE_VERSION });
    const restored = machines.restoreActor(machines.machineCheckout, JSON.parse(JSON.stringify(persisted)));
    expect(restored.getSnapshot().value).toEqual(actor.getSnapshot().value);
    actor.stop();
    restored.stop();
  });

  it('exposes the default I/O factories with the actors the machines invoke, and the state-tree reader', () => {
    expect(Object.keys(machines.createCheckoutActors()).sort()).toEqual(Object.keys(machines.machineCheckout.implementations.actors).sort());
    expect(Object.keys(machines.createKanbanActors()).sort()).toEqual(Object.keys(machines.machineDragAndDropKanban.implementations.actors).sort());
    const { value } = createActor(machines.machineCheckout).getSnapshot();
    expect(machines.activeStateNodes(machines.machineCheckout, value).map((n) => n.key)).toContain(String(value));
  });
});

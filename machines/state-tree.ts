import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** A state value that does not fit the machine's tree. */
export class InvalidStateValueError extends Error {
  override readonly name = 'InvalidStateValueError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolve(node: AnyStateNode, value: unknown, into: AnyStateNode[]): void {
  const children = node.states;
  const childKeys = Object.keys(children);
  if (childKeys.length === 0) {
    if (value !== undefined && !(isObject(value) && Object.keys(value).length === 0)) {
      throw new InvalidStateValueError(`"${node.id}" has no child states, got ${JSON.stringify(value)}`);
    }
    return;
  }
  if (typeof value === 'string') {
    if (node.type === 'parallel') throw new InvalidStateValueError(`"${node.id}" is parallel: expected all its regions`);
    const child = children[value];
    if (!child) throw new InvalidStateValueError(`"${value}" is not a state of "${node.id}"`);
    into.push(child);
    // A compound child given as a bare string would need its initial state: persisted values never do that.
    if (Object.keys(child.states).length > 0) {
      throw new InvalidStateValueError(`"${child.id}" has child states: expected an object value`);
    }
    return;
  }
  if (!isObject(value)) throw new InvalidStateValueError(`"${node.id}": expected a state value, got ${JSON.stringify(value)}`);
  const keys = Object.keys(value);
  if (node.type === 'parallel') {
    const missing = childKeys.filter((k) => !keys.includes(k));
    if (missing.length > 0) throw new InvalidStateValueError(`"${node.id}" is missing regions ${missing.join(', ')}`);
  } else if (keys.length !== 1) {
    throw new InvalidStateValueError(`"${node.id}" must be in exactly one child state, got ${keys.length}`);
  }
  for (const key of keys) {
    const child = children[key];
    if (!child) throw new InvalidStateValueError(`"${key}" is not a state of "${node.id}"`);
    into.push(child);
    resolve(child, value[key], into);
  }
}

/**
 * The state nodes a state value makes active, checked strictly against the machine
 * (unknown names, missing parallel regions, several children of a compound state all throw).
 */
export function activeStateNodes(machine: AnyStateMachine, value: unknown): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  resolve(machine.root, value, nodes);
  return nodes;
}

// One Temporal client per process. Connection.connect is lazy here so the console still
// renders (with a banner) when the Temporal server is down.
import { Client, Connection } from '@temporalio/client';
import { connectionOptions } from '../../temporal/config';
import { requestIdClientInterceptor } from '../../temporal/request-id';
import { env } from './env.server';

const g = globalThis as unknown as { __vigieTemporal?: Promise<Client> };

/** Starts and signals sent while serving a request carry its id to the worker (temporal/request-id.ts). */
const CLIENT_INTERCEPTORS = { workflow: [requestIdClientInterceptor] };

export function temporal(): Promise<Client> {
  if (!g.__vigieTemporal) {
    const e = env();
    g.__vigieTemporal = Connection.connect({ ...connectionOptions(e), connectTimeout: '3s' })
      .then((connection) => new Client({ connection, namespace: e.TEMPORAL_NAMESPACE, interceptors: CLIENT_INTERCEPTORS }))
      .catch((error) => {
        g.__vigieTemporal = undefined; // try again on the next request
        throw error;
      });
  }
  return g.__vigieTemporal;
}

/** Who an operator is in Temporal's history: the identity every change made for them carries. */
export function operatorIdentity(who: { email: string }): string {
  return `${who.email} via vigie`;
}

/**
 * A client on the same connection that acts as the operator: signals, cancels, terminates and
 * resets then carry their identity, so the Temporal history alone says who did it.
 */
export async function temporalFor(who: { email: string }): Promise<Client> {
  const shared = await temporal();
  return new Client({ connection: shared.connection, namespace: shared.options.namespace, identity: operatorIdentity(who), interceptors: CLIENT_INTERCEPTORS });
}

// Temporal connection settings, shared by the worker, the console and the scripts.
import { Connection, Client } from '@temporalio/client';
import { z } from 'zod';

export const temporalEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('vigie'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('vigie'),
  // For Temporal Cloud or a TLS cluster: an API key, or a client certificate and key (PEM, inline).
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
});
export type TemporalEnv = z.infer<typeof temporalEnvSchema>;

/** Parses a zod schema over process.env and stops with a message naming each bad variable. */
export function parseEnv<T extends z.ZodTypeAny>(schema: T, source: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
}

export class EnvError extends Error {
  override name = 'EnvError';
}

export function loadTemporalEnv(source: NodeJS.ProcessEnv = process.env): TemporalEnv {
  return parseEnv(temporalEnvSchema, source);
}

export function connectionOptions(env: TemporalEnv) {
  const tlsWanted = env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY) || Boolean(env.TEMPORAL_TLS_CERT);
  return {
    address: env.TEMPORAL_ADDRESS,
    apiKey: env.TEMPORAL_API_KEY,
    tls: tlsWanted
      ? env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
        ? { clientCertPair: { crt: Buffer.from(env.TEMPORAL_TLS_CERT), key: Buffer.from(env.TEMPORAL_TLS_KEY) } }
        : true
      : undefined,
  };
}

export async function createTemporalClient(env: TemporalEnv = loadTemporalEnv()) {
  const connection = await Connection.connect({ ...connectionOptions(env), connectTimeout: '5s' });
  return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
}

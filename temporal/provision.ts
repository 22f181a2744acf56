// Idempotent Temporal provisioning: the namespace and Vigie's custom search attributes.
// Safe to run at every start; against Temporal Cloud the namespace must exist already.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import Long from 'long';
// @temporalio/proto is CommonJS: a default import works under both Node ESM and bundlers.
import proto, { type temporal } from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from './search-attributes';
import { connectionOptions, loadTemporalEnv, type TemporalEnv } from './config';

const { IndexedValueType } = proto.temporal.api.enums.v1;
const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
};

const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

export async function provisionTemporal(env: TemporalEnv = loadTemporalEnv()) {
  const connection = await Connection.connect({ ...connectionOptions(env), connectTimeout: '10s' });
  try {
    const namespace = env.TEMPORAL_NAMESPACE;
    let createdNamespace = false;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch (error) {
      if ((error as { code?: number }).code !== NOT_FOUND) throw error;
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(7 * 24 * 3600) },
        });
        createdNamespace = true;
      } catch (e) {
        if ((e as { code?: number }).code !== ALREADY_EXISTS) throw e;
      }
    }
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !known.has(k.name));
    if (missing.length) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED_TYPE[k.type]])),
      });
    }
    return { namespace, createdNamespace, addedSearchAttributes: missing.map((k) => k.name) };
  } finally {
    await connection.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await provisionTemporal();
  console.log(
    `temporal: namespace ${r.namespace}${r.createdNamespace ? ' (created)' : ''}; search attributes added: ${r.addedSearchAttributes.join(', ') || 'none'}`,
  );
}

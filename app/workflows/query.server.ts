// The workflow list's open-ended filters: a condition on any of the namespace's custom search
// attributes, and an advanced visibility query typed by the operator. Both end up inside
// tenantQuery's parentheses (`TenantId = '<tenant>' AND (…)`), so what is checked here is that
// the text cannot leave those parentheses or speak about the tenant: every refusal is a 400
// that says why, before Temporal sees anything.
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { z } from 'zod';
import { visibilityLiteral } from '../../temporal/search-attributes';
import { isWallTime, wallTimeToInstant } from '../components/time';
import { invariantResponse } from '../server/http.server';
import { ATTRIBUTE_OPS, ATTRIBUTE_SLOTS } from './labels';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/** The tenant attribute: never offered, never accepted from the browser. */
const TENANT_ATTRIBUTE = 'TenantId';

// ——— The advanced query box ———

export const ADVANCED_QUERY_MAX = 2000;

/** Why a typed visibility query is refused, or null when it may run inside the tenant clause. */
export function advancedQueryProblem(query: string): string | null {
  if (query.length > ADVANCED_QUERY_MAX) return `the query is longer than ${ADVANCED_QUERY_MAX} characters`;
  // Escapes and quoted names would let a string or a name end somewhere else for Temporal than here.
  if (query.includes('\\')) return 'backslashes are not accepted';
  if (query.includes('`')) return 'back-quoted names are not accepted';
  if (query.includes(';')) return 'a query cannot hold “;”';
  // What lies outside quoted values, quotes blanked out: only there can syntax hide.
  let quote: string | null = null;
  let outside = '';
  for (const c of query) {
    if (quote) {
      if (c === quote) quote = null;
      outside += ' ';
    } else if (c === "'" || c === '"') {
      quote = c;
      outside += ' ';
    } else outside += c;
  }
  if (quote) return 'a quoted value is not closed';
  if (/--|\/\*|\*\/|#/.test(outside)) return 'comments (--, /* */, #) are not accepted';
  let depth = 0;
  for (const c of outside) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return 'a “)” closes a parenthesis that was never opened: it would close the tenant clause';
  }
  if (depth !== 0) return 'the parentheses are not balanced';
  if (/\bTenantId\b/i.test(outside)) return `the query cannot name ${TENANT_ATTRIBUTE}: the console adds the tenant itself`;
  return null;
}

export const advancedQuery = z.string().trim().max(ADVANCED_QUERY_MAX, `use at most ${ADVANCED_QUERY_MAX} characters`);

/** The typed query, checked: a 400 saying why when it could escape the tenant clause. */
export function advancedQueryClause(query: string | undefined): string | undefined {
  if (!query) return undefined;
  const problem = advancedQueryProblem(query);
  invariantResponse(problem === null, `Filter “q”: ${problem}.`, 400);
  return query;
}

// ——— Conditions on custom search attributes ———

export type AttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

const cache: { at: number; namespace: string; attrs: Record<string, AttributeType> } = { at: 0, namespace: '', attrs: {} };

/** The namespace's custom search attributes and their types, TenantId left out (cached for a minute). */
export async function customSearchAttributes(client: Client): Promise<Record<string, AttributeType>> {
  const namespace = client.options.namespace;
  if (cache.namespace === namespace && Date.now() - cache.at < 60_000) return cache.attrs;
  const res = await client.connection.operatorService.listSearchAttributes({ namespace });
  const attrs: Record<string, AttributeType> = {};
  for (const [name, type] of Object.entries(res.customAttributes ?? {})) {
    if (name === TENANT_ATTRIBUTE) continue;
    const t = (IndexedValueType[type as number] ?? '').replace('INDEXED_VALUE_TYPE_', '');
    const named = ({ KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as const)[t as 'KEYWORD'];
    if (named) attrs[name] = named;
  }
  Object.assign(cache, { at: Date.now(), namespace, attrs });
  return attrs;
}

export type AttributeOp = keyof typeof ATTRIBUTE_OPS;
const ORDERED: AttributeType[] = ['Int', 'Double', 'Datetime'];

export const attributeFilterShape = Object.fromEntries(
  ATTRIBUTE_SLOTS.flatMap((i) => [
    [`a${i}`, z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'is not a search attribute name').optional()],
    [`o${i}`, z.enum(Object.keys(ATTRIBUTE_OPS) as [AttributeOp, ...AttributeOp[]]).optional()],
    [`v${i}`, z.string().trim().max(200).optional()],
  ]),
) as Record<`a${1 | 2 | 3}` | `v${1 | 2 | 3}`, z.ZodOptional<z.ZodString>> & Record<`o${1 | 2 | 3}`, z.ZodOptional<z.ZodEnum<[AttributeOp, ...AttributeOp[]]>>>;
export type AttributeFilters = Partial<Record<`a${1 | 2 | 3}` | `v${1 | 2 | 3}`, string> & Record<`o${1 | 2 | 3}`, AttributeOp>>;

function literalFor(type: AttributeType, value: string, tz: string | undefined): string | null {
  switch (type) {
    case 'Int': return /^-?\d{1,18}$/.test(value) ? value : null;
    case 'Double': return /^-?\d{1,18}(\.\d{1,12})?$/.test(value) ? value : null;
    case 'Bool': return value === 'true' || value === 'false' ? value : null;
    case 'Datetime': return isWallTime(value) ? `'${wallTimeToInstant(value, tz ?? 'UTC')}'` : null;
    default:
      try {
        return visibilityLiteral(value);
      } catch {
        return null;
      }
  }
}

/** The conditions as a clause; an unknown attribute, TenantId, or a value its type cannot hold is a 400 naming the slot. */
export function attributeClause(f: AttributeFilters, attrs: Record<string, AttributeType>, tz?: string): string | undefined {
  const parts: string[] = [];
  for (const i of ATTRIBUTE_SLOTS) {
    const name = f[`a${i}`];
    if (!name) continue;
    const op = f[`o${i}`] ?? 'eq';
    const value = f[`v${i}`] ?? '';
    invariantResponse(name !== TENANT_ATTRIBUTE, `Filter “a${i}”: ${TENANT_ATTRIBUTE} is set by the console, not by a filter.`, 400);
    const type = attrs[name];
    invariantResponse(type, `Filter “a${i}”: ${name} is not a search attribute of this namespace.`, 400);
    invariantResponse(op === 'eq' || op === 'ne' || ORDERED.includes(type), `Filter “o${i}”: ${name} (${type}) can only be compared with = or !=.`, 400);
    const literal = literalFor(type, value, tz);
    invariantResponse(literal !== null, `Filter “v${i}”: “${value.slice(0, 60)}” is not a ${type} value${type === 'Datetime' ? ' (YYYY-MM-DDTHH:MM)' : ''}.`, 400);
    parts.push(`${name} ${ATTRIBUTE_OPS[op]} ${literal}`);
  }
  return parts.length ? parts.join(' AND ') : undefined;
}

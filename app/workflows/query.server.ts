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
import type { WorkflowsT } from './history.server';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/** The tenant attribute: never offered, never accepted from the browser. */
const TENANT_ATTRIBUTE = 'TenantId';

// ——— The advanced query box ———

export const ADVANCED_QUERY_MAX = 2000;

/** Why a typed visibility query is refused (in the operator's words), or null when it may run inside the tenant clause. */
export function advancedQueryProblem(query: string, t: WorkflowsT): string | null {
  if (query.length > ADVANCED_QUERY_MAX) return t('filterProblems.tooLong', { max: ADVANCED_QUERY_MAX });
  // Escapes and quoted names would let a string or a name end somewhere else for Temporal than here.
  if (query.includes('\\')) return t('filterProblems.backslash');
  if (query.includes('`')) return t('filterProblems.backquote');
  if (query.includes(';')) return t('filterProblems.semicolon');
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
  if (quote) return t('filterProblems.unclosedQuote');
  if (/--|\/\*|\*\/|#/.test(outside)) return t('filterProblems.comments');
  let depth = 0;
  for (const c of outside) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return t('filterProblems.closesTenant');
  }
  if (depth !== 0) return t('filterProblems.unbalanced');
  if (/\bTenantId\b/i.test(outside)) return t('filterProblems.namesTenant', { attribute: TENANT_ATTRIBUTE });
  return null;
}

export const advancedQuery = z.string().trim().max(ADVANCED_QUERY_MAX, `use at most ${ADVANCED_QUERY_MAX} characters`);

/** The typed query, checked: a 400 saying why when it could escape the tenant clause. */
export function advancedQueryClause(query: string | undefined, t: WorkflowsT): string | undefined {
  if (!query) return undefined;
  const problem = advancedQueryProblem(query, t);
  invariantResponse(problem === null, t('filterProblems.filter', { name: 'q', problem }), 400);
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
export function attributeClause(f: AttributeFilters, attrs: Record<string, AttributeType>, t: WorkflowsT, tz?: string): string | undefined {
  const parts: string[] = [];
  for (const i of ATTRIBUTE_SLOTS) {
    const name = f[`a${i}`];
    if (!name) continue;
    const op = f[`o${i}`] ?? 'eq';
    const value = f[`v${i}`] ?? '';
    const refuse = (slot: string, problem: string) => t('filterProblems.filter', { name: `${slot}${i}`, problem });
    invariantResponse(name !== TENANT_ATTRIBUTE, refuse('a', t('filterProblems.tenantAttribute', { attribute: TENANT_ATTRIBUTE })), 400);
    const type = attrs[name];
    invariantResponse(type, refuse('a', t('filterProblems.unknownAttribute', { name })), 400);
    invariantResponse(op === 'eq' || op === 'ne' || ORDERED.includes(type), refuse('o', t('filterProblems.unordered', { name, type })), 400);
    const literal = literalFor(type, value, tz);
    invariantResponse(literal !== null, refuse('v', t(type === 'Datetime' ? 'filterProblems.badDatetime' : 'filterProblems.badValue', { value: value.slice(0, 60), type })), 400);
    parts.push(`${name} ${ATTRIBUTE_OPS[op]} ${literal}`);
  }
  return parts.length ? parts.join(' AND ') : undefined;
}

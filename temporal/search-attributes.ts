// The custom search attributes Vigie lists and filters on. Tenancy rides on TenantId:
// every visibility query the console runs is prefixed with it server-side
// (docs/decisions/002-one-namespace-tenant-search-attribute.md).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const OnboardingPhase = defineSearchAttributeKey('OnboardingPhase', SearchAttributeType.KEYWORD);
export const TrialDay = defineSearchAttributeKey('TrialDay', SearchAttributeType.INT);
export const Subscribed = defineSearchAttributeKey('Subscribed', SearchAttributeType.BOOL);
export const SagaStatus = defineSearchAttributeKey('SagaStatus', SearchAttributeType.KEYWORD);
export const OrderId = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [TenantId, OnboardingPhase, TrialDay, Subscribed, SagaStatus, OrderId];

/** Quotes a value for a visibility query; refuses what a Keyword can't hold rather than escaping it. */
export function visibilityLiteral(value: string): string {
  if (!/^[\p{L}\p{N}_.:@+-]{1,200}$/u.test(value)) throw new Error(`not a valid visibility value: ${JSON.stringify(value)}`);
  return `'${value}'`;
}

/** The tenant clause every console query starts with; callers never build it from browser input. */
export function tenantQuery(tenantId: string, rest?: string): string {
  const base = `TenantId = ${visibilityLiteral(tenantId)}`;
  return rest && rest.trim() ? `${base} AND (${rest})` : base;
}

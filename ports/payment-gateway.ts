// What the payment activities need from a payment provider. Stripe in production
// (stripe-gateway.ts), a stateful stand-in in PostgreSQL elsewhere (local-gateway.ts).
// Every mutating call carries an idempotency key: the same key must give the same result.
// Amounts are integer cents, currency EUR.

export type GatewayObjectKind = 'charge' | 'transfer' | 'transfer_reversal' | 'refund' | 'insurance' | 'insurance_cancel' | 'trial';

export interface GatewayResult {
  /** The provider's id of the object created (or found again for a repeated key). */
  id: string;
}

export interface ChargeRequest {
  idempotencyKey: string;
  commandeId: string;
  /** The tenant the money moves for, put in the object's metadata (tenantId) so the provider mirror knows whose it is. */
  tenantId?: string;
  /** The buyer as the provider knows them (a Stripe customer for the Stripe gateway). */
  acheteurId: string;
  amountCents: number;
  description: string;
}

export interface TransferRequest {
  idempotencyKey: string;
  commandeId: string;
  /** The tenant the money moves for, put in the object's metadata (tenantId) so the provider mirror knows whose it is. */
  tenantId?: string;
  /** The seller's connected account. */
  vendeurId: string;
  amountCents: number;
  /** The charge the money comes from. */
  sourceChargeId: string;
}

export interface ReverseTransferRequest {
  idempotencyKey: string;
  commandeId: string;
  /** The tenant the money moves for, put in the object's metadata (tenantId) so the provider mirror knows whose it is. */
  tenantId?: string;
  transferId: string;
  amountCents: number;
  reason: string;
}

export interface RefundRequest {
  idempotencyKey: string;
  commandeId: string;
  /** The tenant the money moves for, put in the object's metadata (tenantId) so the provider mirror knows whose it is. */
  tenantId?: string;
  chargeId: string;
  amountCents: number;
  reason: string;
}

export interface InsuranceRequest {
  idempotencyKey: string;
  commandeId: string;
  /** The tenant the money moves for, put in the object's metadata (tenantId) so the provider mirror knows whose it is. */
  tenantId?: string;
  amountCents: number;
}

export interface CancelInsuranceRequest {
  idempotencyKey: string;
  commandeId: string;
  /** The tenant the money moves for, put in the object's metadata (tenantId) so the provider mirror knows whose it is. */
  tenantId?: string;
  insuranceId: string;
  reason: string;
}

export interface TrialRequest {
  idempotencyKey: string;
  utilisateurId: string;
  email: string;
  planId: string;
  trialDays: number;
}

export interface ListRequest {
  /** Inclusive lower bound on creation time. */
  from: Date;
  /** Exclusive upper bound on creation time. */
  to: Date;
  /** Opaque cursor from the previous page's nextCursor. */
  cursor?: string;
  /** Page size, 1–100. */
  limit?: number;
}

/** An object as the provider reports it, for reconciliation against the ledger. */
export interface GatewayRecord {
  id: string;
  kind: GatewayObjectKind;
  status: 'succeeded' | 'failed' | 'pending' | 'canceled';
  amountCents: number;
  currency: string;
  createdAt: string;
  /** The idempotency key of the request that created it, when the provider keeps it (we put it in metadata). */
  idempotencyKey: string | null;
  commandeId: string | null;
  /** The charge a transfer or refund draws on; the transfer a reversal undoes. */
  sourceId: string | null;
  /** The tenant named in the object's metadata; null for an object made without it (in the provider's dashboard, say). */
  tenantId: string | null;
}

/**
 * A provider event in Stripe's shape (https://docs.stripe.com/api/events/object): what the
 * webhook endpoint receives and what the catch-up lists. The local stand-in emits the same.
 * Handled types: charge.succeeded|failed|updated|refunded, refund.created|updated|failed,
 * transfer.created|updated|reversed, invoiceitem.created|updated|deleted; others are stored and ignored.
 */
export interface ProviderEvent {
  /** evt_… */
  id: string;
  object: 'event';
  type: string;
  /** Unix seconds. */
  created: number;
  data: { object: Record<string, unknown> };
  livemode: boolean;
  api_version?: string | null;
}

export interface EventListRequest {
  /** Every event created at or after this time. */
  since: Date;
  /** Opaque cursor from the previous page's nextCursor. */
  cursor?: string;
  /** Page size, 1–100. */
  limit?: number;
}

export interface EventPage {
  items: ProviderEvent[];
  nextCursor: string | null;
}

export interface GatewayPage {
  items: GatewayRecord[];
  nextCursor: string | null;
}

export interface PaymentGateway {
  charge(req: ChargeRequest): Promise<GatewayResult>;
  transfer(req: TransferRequest): Promise<GatewayResult>;
  reverseTransfer(req: ReverseTransferRequest): Promise<GatewayResult>;
  refund(req: RefundRequest): Promise<GatewayResult>;
  billInsurance(req: InsuranceRequest): Promise<GatewayResult>;
  cancelInsurance(req: CancelInsuranceRequest): Promise<GatewayResult>;
  /** The trial subscription of onboarding's J+0 (créerTrialStripe). */
  startTrial(req: TrialRequest): Promise<GatewayResult>;
  listCharges(req: ListRequest): Promise<GatewayPage>;
  listRefunds(req: ListRequest): Promise<GatewayPage>;
  listTransfers(req: ListRequest): Promise<GatewayPage>;
  listInsurance(req: ListRequest): Promise<GatewayPage>;
  /** The provider's events since a time, page by page, in the provider's order (Stripe: newest first; it keeps 30 days). */
  listEvents(req: EventListRequest): Promise<EventPage>;
}

export type GatewayErrorKind =
  /** Issuer decline that no retry will change. */
  | 'card_declined_permanent'
  /** Issuer decline that may pass later, with a new request. */
  | 'card_declined'
  /** The seller's account cannot receive money. */
  | 'invalid_account'
  /** The provider refused the request as such. */
  | 'rejected'
  /** Same idempotency key, different parameters. */
  | 'idempotency_conflict'
  /** No definite answer (network, timeout, 5xx, rate limit): retry with the same key. */
  | 'transient';

/** The one error type gateways throw; the activities map `kind` to Temporal failures. */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    readonly code?: string,
    readonly declineCode?: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'transient';
  }
}

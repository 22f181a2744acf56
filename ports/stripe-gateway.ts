// The payment gateway on Stripe (Connect). Every POST carries the caller's idempotency key
// (in its header-safe form, idempotency-key.ts), and every object carries the key itself in
// metadata so reconciliation can join it to the ledger.
//
// - charge: a PaymentIntent confirmed off-session with the buyer's default payment method
//   (invoice_settings.default_payment_method); its latest charge id is what we keep, since
//   transfers (source_transaction) and refunds draw on the charge.
// - transfer: transfers.create with source_transaction, so the seller is paid from this
//   charge's funds only, and transfer_group = commandeId.
// - insurance: an invoice item on the insurer's platform customer, billed on its next
//   invoice. Chosen over a charge because it is what "billing the insurer" is, and because it
//   can be cancelled by deleting it while uninvoiced. Stripe ignores idempotency keys on
//   DELETE (idempotent by definition): an already deleted item counts as cancelled.
import Stripe from 'stripe';
import {
  GatewayError,
  type CancelInsuranceRequest,
  type ChargeRequest,
  type EventListRequest,
  type EventPage,
  type GatewayPage,
  type GatewayRecord,
  type InsuranceRequest,
  type ListRequest,
  type PaymentGateway,
  type ProviderEvent,
  type RefundRequest,
  type ReverseTransferRequest,
  type TransferRequest,
  type TrialRequest,
} from './payment-gateway';
import { headerSafeKey } from './idempotency-key';
import { chargeRecord, invoiceItemRecord, refundRecord, transferRecords } from './stripe-objects';

/** Issuer decline codes no retry will change (https://docs.stripe.com/declines/codes). */
export const PERMANENT_DECLINE_CODES = new Set([
  'card_not_supported',
  'currency_not_supported',
  'do_not_try_again',
  'expired_card',
  'fraudulent',
  'incorrect_number',
  'invalid_account',
  'invalid_number',
  'lost_card',
  'merchant_blacklist',
  'new_account_information_available',
  'pickup_card',
  'restricted_card',
  'revocation_of_all_authorizations',
  'revocation_of_authorization',
  'security_violation',
  'service_not_allowed',
  'stolen_card',
  'stop_payment_order',
  'transaction_not_allowed',
]);

/** Card error codes that describe the card itself, not one attempt. */
const PERMANENT_CARD_CODES = new Set(['expired_card', 'incorrect_number', 'invalid_number']);

/** Errors about the destination (seller) account of a transfer. */
export const ACCOUNT_ERROR_CODES = new Set([
  'account_closed',
  'account_country_invalid_address',
  'account_invalid',
  'account_number_invalid',
  'insufficient_capabilities_for_transfer',
  'no_account',
  'payouts_not_allowed',
  'transfers_not_allowed',
]);

export interface StripeGatewayOptions {
  secretKey: string;
  /** The platform customer that stands for the buyers' insurer; insurance fees are billed to it. */
  insuranceCustomerId: string;
  /** How a buyer id of ours maps to a Stripe customer id; identity when buyers are stored by their Stripe id. */
  customerFor?: (acheteurId: string) => string | Promise<string>;
  currency?: string;
  /** Overrides for a non-default API host (a local stub in tests). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

export class StripeGateway implements PaymentGateway {
  private readonly stripe: Stripe;
  private readonly currency: string;

  constructor(private readonly opts: StripeGatewayOptions) {
    this.currency = opts.currency ?? 'eur';
    this.stripe = new Stripe(opts.secretKey, {
      // Temporal retries the activity with the same key; one quick SDK retry covers a dropped socket.
      maxNetworkRetries: 1,
      timeout: 20_000,
      ...(opts.host ? { host: opts.host, port: opts.port, protocol: opts.protocol ?? 'https' } : {}),
    });
  }

  async charge(req: ChargeRequest) {
    return call('charge', async () => {
      const customerId = await (this.opts.customerFor ?? ((id: string) => id))(req.acheteurId);
      const customer = await this.stripe.customers.retrieve(customerId);
      if ('deleted' in customer && customer.deleted) throw new GatewayError('rejected', `customer ${customerId} is deleted`, 'resource_missing');
      const method = (customer as Stripe.Customer).invoice_settings?.default_payment_method;
      const paymentMethod = typeof method === 'string' ? method : method?.id;
      if (!paymentMethod) throw new GatewayError('card_declined', `customer ${customerId} has no default payment method`, 'payment_method_missing');
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: req.amountCents,
          currency: this.currency,
          customer: customerId,
          payment_method: paymentMethod,
          confirm: true,
          off_session: true,
          description: req.description,
          transfer_group: req.commandeId,
          metadata: meta(req.idempotencyKey, req.commandeId, req.tenantId),
        },
        { idempotencyKey: headerSafeKey(req.idempotencyKey) },
      );
      const charge = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
      if (intent.status !== 'succeeded' || !charge) {
        // Off-session, "requires_action" (3-D Secure) cannot be completed: a decline for this attempt.
        throw new GatewayError('card_declined', `payment ${intent.id} ended in status ${intent.status}`, intent.status);
      }
      return { id: charge };
    });
  }

  transfer(req: TransferRequest) {
    return call('transfer', async () => {
      const transfer = await this.stripe.transfers.create(
        {
          amount: req.amountCents,
          currency: this.currency,
          destination: req.vendeurId,
          source_transaction: req.sourceChargeId,
          transfer_group: req.commandeId,
          metadata: meta(req.idempotencyKey, req.commandeId, req.tenantId),
        },
        { idempotencyKey: headerSafeKey(req.idempotencyKey) },
      );
      return { id: transfer.id };
    });
  }

  reverseTransfer(req: ReverseTransferRequest) {
    return call('reverse_transfer', async () => {
      const reversal = await this.stripe.transfers.createReversal(
        req.transferId,
        { amount: req.amountCents, metadata: { ...meta(req.idempotencyKey, req.commandeId, req.tenantId), reason: req.reason } },
        { idempotencyKey: headerSafeKey(req.idempotencyKey) },
      );
      return { id: reversal.id };
    });
  }

  refund(req: RefundRequest) {
    return call('refund', async () => {
      const refund = await this.stripe.refunds.create(
        {
          charge: req.chargeId,
          amount: req.amountCents,
          reason: 'requested_by_customer',
          metadata: { ...meta(req.idempotencyKey, req.commandeId, req.tenantId), reason: req.reason },
        },
        { idempotencyKey: headerSafeKey(req.idempotencyKey) },
      );
      return { id: refund.id };
    });
  }

  billInsurance(req: InsuranceRequest) {
    return call('bill_insurance', async () => {
      const item = await this.stripe.invoiceItems.create(
        {
          customer: this.opts.insuranceCustomerId,
          amount: req.amountCents,
          currency: this.currency,
          description: `Assurance acheteurs — commande ${req.commandeId}`,
          metadata: meta(req.idempotencyKey, req.commandeId, req.tenantId),
        },
        { idempotencyKey: headerSafeKey(req.idempotencyKey) },
      );
      return { id: item.id };
    });
  }

  cancelInsurance(req: CancelInsuranceRequest) {
    return call('cancel_insurance', async () => {
      try {
        const deleted = await this.stripe.invoiceItems.del(req.insuranceId);
        return { id: deleted.id };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeError && error.code === 'resource_missing') return { id: req.insuranceId };
        throw error;
      }
    });
  }

  startTrial(req: TrialRequest) {
    return call('start_trial', async () => {
      const customer = await this.stripe.customers.create(
        { email: req.email, metadata: { utilisateurId: req.utilisateurId, idempotencyKey: `${req.idempotencyKey}:customer` } },
        { idempotencyKey: headerSafeKey(`${req.idempotencyKey}:customer`) },
      );
      const subscription = await this.stripe.subscriptions.create(
        {
          customer: customer.id,
          items: [{ price: req.planId }],
          trial_period_days: req.trialDays,
          trial_settings: { end_behavior: { missing_payment_method: 'cancel' } },
          metadata: { utilisateurId: req.utilisateurId, idempotencyKey: req.idempotencyKey },
        },
        { idempotencyKey: headerSafeKey(req.idempotencyKey) },
      );
      return { id: subscription.id };
    });
  }

  listCharges(req: ListRequest) {
    return call('list', async () => {
      const page = await this.stripe.charges.list({ ...listParams(req) });
      return toPage(page.has_more, page.data.map((c) => chargeRecord(c as unknown as StripeObject)));
    });
  }

  listRefunds(req: ListRequest) {
    return call('list', async () => {
      const page = await this.stripe.refunds.list({ ...listParams(req) });
      return toPage(page.has_more, page.data.map((r) => refundRecord(r as unknown as StripeObject)));
    });
  }

  /** Transfers, each followed by its reversals (Stripe nests them in the transfer). */
  listTransfers(req: ListRequest) {
    return call('list', async () => {
      const page = await this.stripe.transfers.list({ ...listParams(req) });
      return toPage(page.has_more, page.data.flatMap((t) => transferRecords(t as unknown as StripeObject)), page.data.at(-1)?.id);
    });
  }

  /** The insurer's invoice items; a cancelled (deleted) fee no longer appears. */
  listInsurance(req: ListRequest) {
    return call('list', async () => {
      const page = await this.stripe.invoiceItems.list({ customer: this.opts.insuranceCustomerId, ...listParams(req) });
      return toPage(page.has_more, page.data.map((i) => invoiceItemRecord(i as unknown as StripeObject)));
    });
  }

  /** Events since a time, newest first as Stripe lists them (it keeps 30 days of them). */
  listEvents(req: EventListRequest): Promise<EventPage> {
    return call('list', async () => {
      const page = await this.stripe.events.list({
        created: { gte: Math.floor(req.since.getTime() / 1000) },
        limit: Math.min(Math.max(req.limit ?? 100, 1), 100),
        ...(req.cursor ? { starting_after: req.cursor } : {}),
      });
      const items = page.data.map((e) => e as unknown as ProviderEvent);
      return { items, nextCursor: page.has_more && items.length ? items.at(-1)!.id : null };
    });
  }
}

type StripeObject = Record<string, unknown>;

/** What every object carries back to reconciliation: our key, the order and the tenant (docs/decisions/140). */
function meta(idempotencyKey: string, commandeId: string, tenantId: string | undefined) {
  return { idempotencyKey, commandeId, ...(tenantId ? { tenantId } : {}) };
}

function listParams(req: ListRequest) {
  return {
    created: { gte: Math.floor(req.from.getTime() / 1000), lt: Math.ceil(req.to.getTime() / 1000) },
    limit: Math.min(Math.max(req.limit ?? 100, 1), 100),
    ...(req.cursor ? { starting_after: req.cursor } : {}),
  };
}

function toPage(hasMore: boolean, items: GatewayRecord[], lastId = items.at(-1)?.id): GatewayPage {
  return { items, nextCursor: hasMore && lastId ? lastId : null };
}

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw error instanceof GatewayError ? error : mapStripeError(error, operation);
  }
}

/** Stripe's errors in the gateway's terms: what is definite, and what is worth a retry with the same key. */
export function mapStripeError(error: unknown, operation: string): GatewayError {
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new GatewayError('transient', `${operation}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const code = error.code ?? undefined;
  const declineCode = error.decline_code ?? undefined;
  const message = `${operation}: ${error.message}`;
  if (error instanceof Stripe.errors.StripeCardError) {
    const permanent = (code === 'card_declined' && declineCode !== undefined && PERMANENT_DECLINE_CODES.has(declineCode)) || (code !== undefined && PERMANENT_CARD_CODES.has(code));
    return new GatewayError(permanent ? 'card_declined_permanent' : 'card_declined', message, code, declineCode);
  }
  if (code && ACCOUNT_ERROR_CODES.has(code)) return new GatewayError('invalid_account', message, code);
  if (error instanceof Stripe.errors.StripeIdempotencyError) return new GatewayError('idempotency_conflict', message, code);
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeRateLimitError || error instanceof Stripe.errors.StripeAPIError) {
    return new GatewayError('transient', message, code);
  }
  // Another in-flight request holds the same key: the first will finish, then this one replays it.
  if (error.statusCode === 409 || error.statusCode === 429 || (error.statusCode ?? 0) >= 500) return new GatewayError('transient', message, code);
  if (error instanceof Stripe.errors.StripePermissionError && operation === 'transfer') return new GatewayError('invalid_account', message, code);
  return new GatewayError('rejected', message, code);
}


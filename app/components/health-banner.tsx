import type { Health } from '~/server/health.server';

/** Shown on every page while PostgreSQL or Temporal does not answer, instead of a stack trace. */
export function HealthBanner({ health }: { health: Health }) {
  const down = [
    !health.postgres.ok && `PostgreSQL is unreachable (${health.postgres.error ?? 'no answer'})`,
    !health.temporal.ok && `Temporal is unreachable (${health.temporal.error ?? 'no answer'})`,
  ].filter(Boolean);
  return (
    <div className="health-banner" role="alert" data-testid="health-banner">
      <strong>Degraded:</strong> {down.join('; ')}. Pages that need it will fail until it is back; see <a href="/healthz">/healthz</a>.
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import type { Health } from '~/server/health.server';

/** Shown on every page while PostgreSQL or Temporal does not answer, instead of a stack trace. */
export function HealthBanner({ health }: { health: Health }) {
  const { t } = useTranslation();
  const down = [
    !health.postgres.ok && t('health.postgres', { error: health.postgres.error ?? t('health.noAnswer') }),
    !health.temporal.ok && t('health.temporal', { error: health.temporal.error ?? t('health.noAnswer') }),
  ].filter(Boolean);
  return (
    <div className="health-banner" role="alert" data-testid="health-banner">
      <strong>{t('health.degraded')}</strong> {down.join('; ')}. {t('health.until')} <a href="/healthz">/healthz</a>.
    </div>
  );
}

// The finance pages' own tabs under the top bar's "Payments": sagas, incidents, reconciliation.
import { NavLink } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

export function FinanceTabs({ tenantId, openIncidents }: { tenantId: string; openIncidents?: number }) {
  const { t } = useTranslation('finance');
  const base = `/t/${tenantId}`;
  return (
    <nav className="tabs" aria-label={t('tabs.label')}>
      <NavLink to={`${base}/payments`}>{t('tabs.sagas')}</NavLink>
      <NavLink to={`${base}/incidents`}>{openIncidents ? t('tabs.incidentsOpen', { count: openIncidents }) : t('tabs.incidents')}</NavLink>
      <NavLink to={`${base}/reconciliation`}>{t('tabs.reconciliation')}</NavLink>
    </nav>
  );
}

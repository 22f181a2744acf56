// The finance pages' own tabs under the top bar's "Payments": sagas, incidents, reconciliation.
import { NavLink } from '@remix-run/react';

export function FinanceTabs({ tenantId, openIncidents }: { tenantId: string; openIncidents?: number }) {
  const base = `/t/${tenantId}`;
  return (
    <nav className="tabs" aria-label="Finance">
      <NavLink to={`${base}/payments`}>Payment sagas</NavLink>
      <NavLink to={`${base}/incidents`}>Incidents{openIncidents ? ` (${openIncidents} open)` : ''}</NavLink>
      <NavLink to={`${base}/reconciliation`}>Reconciliation</NavLink>
    </nav>
  );
}

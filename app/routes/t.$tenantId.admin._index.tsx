import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { pageTitle } from '~/i18n/fixed-t';
import { requireTenant } from '~/server/auth.server';
import { db } from '~/server/db.server';
import { can } from '~/server/permissions';
import { listMembers, listPendingInvitations } from '~/admin/staff.server';

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'admin', (t) => t('nav.label')) }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const [staff, apiKeys] = await Promise.all([
    can(ctx.role, 'manage:staff')
      ? Promise.all([listMembers(ctx.tenantId), listPendingInvitations(ctx.tenantId)]).then(([members, invitations]) => ({
          active: members.filter((m) => !m.disabledAt).length,
          disabled: members.filter((m) => m.disabledAt).length,
          pending: invitations.length,
        }))
      : null,
    can(ctx.role, 'manage:apikey')
      ? db().apiKey.count({ where: { tenantId: ctx.tenantId, revokedAt: null } }).then((active) => ({ active }))
      : null,
  ]);
  return json({ base: `/t/${ctx.tenantId}/admin`, staff, apiKeys });
}

export default function AdminOverview() {
  const { base, staff, apiKeys } = useLoaderData<typeof loader>();
  const { t } = useTranslation('admin');
  return (
    <>
      {staff && (
        <section className="card">
          <h2><Link to={`${base}/staff`}>{t('nav.staff')}</Link></h2>
          <p>
            {t('overview.activeMembers', { count: staff.active })}
            {staff.disabled > 0 && t('overview.disabled', { count: staff.disabled })}
            {staff.pending > 0 && t('overview.pending', { count: staff.pending })}.
          </p>
          <p className="muted">{t('overview.staffHelp')}</p>
        </section>
      )}
      {apiKeys && (
        <section className="card">
          <h2><Link to={`${base}/api-keys`}>{t('nav.apiKeys')}</Link></h2>
          <p>{t('overview.activeKeys', { count: apiKeys.active })}</p>
          <p className="muted">{t('overview.keysHelp')}</p>
        </section>
      )}
    </>
  );
}

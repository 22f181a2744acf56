import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireTenant } from '~/server/auth.server';
import { db } from '~/server/db.server';
import { can } from '~/server/permissions';
import { listMembers, listPendingInvitations } from '~/admin/staff.server';

export const meta: MetaFunction = () => [{ title: 'Administration · Vigie' }];

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
  return (
    <>
      {staff && (
        <section className="card">
          <h2><Link to={`${base}/staff`}>Staff</Link></h2>
          <p>
            {staff.active} active member{staff.active === 1 ? '' : 's'}
            {staff.disabled > 0 && `, ${staff.disabled} disabled`}
            {staff.pending > 0 && `, ${staff.pending} pending invitation${staff.pending === 1 ? '' : 's'}`}.
          </p>
          <p className="muted">Invite people, change their role, disable their access to this tenant.</p>
        </section>
      )}
      {apiKeys && (
        <section className="card">
          <h2><Link to={`${base}/api-keys`}>API keys</Link></h2>
          <p>{apiKeys.active} active key{apiKeys.active === 1 ? '' : 's'}.</p>
          <p className="muted">Keys let this tenant’s storefronts and boards report to Vigie’s ingestion API.</p>
        </section>
      )}
    </>
  );
}

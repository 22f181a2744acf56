import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useCallback, useState } from 'react';
import { ActionDialog } from '~/components/action-dialog';
import type { ActionResult } from '../../machines';
import { zonedTimestamp } from '~/components/time';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { requireTenantPermission } from '~/server/auth.server';
import { ROLES, type Role } from '~/server/permissions';
import { INVITATION_TTL_DAYS, activeAdminIds, listMembers, listPendingInvitations } from '~/admin/staff.server';

export const meta: MetaFunction = () => [{ title: 'Staff · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:staff');
  const [members, invitations, admins] = await Promise.all([
    listMembers(ctx.tenantId),
    listPendingInvitations(ctx.tenantId),
    activeAdminIds(ctx.tenantId),
  ]);
  return json({
    base: `/t/${ctx.tenantId}/admin/staff`,
    ttlDays: INVITATION_TTL_DAYS,
    members: members.map((m) => ({
      userId: m.userId,
      email: m.email,
      name: m.name,
      role: m.role,
      you: m.userId === ctx.userId,
      status: m.accountDisabledAt ? 'account disabled' : m.disabledAt ? 'disabled' : 'active',
      lastSignIn: zonedTimestamp(m.lastSignInAt, operatorTimeZone(ctx), 'minute'),
      // The server refuses it anyway (409); the page says so before anyone tries.
      lastAdmin: m.role === 'admin' && admins.length <= 1 && admins.includes(m.userId),
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      invitedBy: i.invitedByEmail ?? '—',
      expires: zonedTimestamp(i.expiresAt, operatorTimeZone(ctx), 'minute'),
    })),
  });
}

const STATUS_BADGE: Record<string, string> = { active: 'completed', disabled: 'failed', 'account disabled': 'failed' };

function RoleSelect({ value }: { value?: Role }) {
  return (
    <label>
      Role
      <select name="role" defaultValue={value ?? 'support'} required>
        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
      </select>
    </label>
  );
}

export default function Staff() {
  const { base, ttlDays, members, invitations } = useLoaderData<typeof loader>();
  const [invitation, setInvitation] = useState<{ email: string; link: string } | null>(null);
  const onInvited = useCallback((result: ActionResult) => {
    const data = result.data as { link?: string; email?: string } | undefined;
    setInvitation(data?.link && data.email ? { email: data.email, link: data.link } : null);
  }, []);

  return (
    <>
      <section className="card">
        <h2>Invite</h2>
        <p className="muted">
          Someone who already has a Vigie account is added at once. Anyone else gets a one-time link, valid {ttlDays} days,
          to choose their name and password.
        </p>
        <ActionDialog
          label="Invite a staff member"
          confirmText="Invite this person to the tenant with the role below."
          actionUrl={`${base}/invite`}
          testId="invite"
          onDone={onInvited}
        >
          <label>Email<input name="email" type="email" required maxLength={254} autoComplete="off" /></label>
          <RoleSelect />
        </ActionDialog>
        {invitation && (
          <div className="card" data-testid="invitation-link">
            <p>
              Send this link to <strong>{invitation.email}</strong> yourself. It works once, for {ttlDays} days,
              and is not shown again: invite again for a new one.
            </p>
            <input readOnly value={invitation.link} aria-label="Invitation link" size={80} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </section>

      <h2>Members</h2>
      <div className="scroll" tabIndex={0}>
        <table className="data" data-testid="staff-table">
          <thead>
            <tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th><th>Last sign-in</th><th>Actions</th></tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-testid={`member-${m.email}`}>
                <td>{m.name}{m.you && <span className="muted"> (you)</span>}</td>
                <td>{m.email}</td>
                <td><span className="badge">{m.role}</span></td>
                <td><span className={`badge ${STATUS_BADGE[m.status]}`}>{m.status}</span></td>
                <td>{m.lastSignIn ?? '—'}</td>
                <td>
                  <ActionDialog
                    label="Change role"
                    confirmText={<>Change the role of <strong>{m.email}</strong> in this tenant.</>}
                    actionUrl={`${base}/role`}
                    disabled={m.lastAdmin}
                    disabledReason="The last admin of the tenant: make another member admin first"
                    testId={`role-${m.email}`}
                  >
                    <input type="hidden" name="email" value={m.email} />
                    <RoleSelect value={m.role} />
                  </ActionDialog>
                  {m.status === 'disabled' ? (
                    <ActionDialog
                      label="Enable"
                      confirmText={<><strong>{m.email}</strong> will be able to open this tenant again, as {m.role}.</>}
                      actionUrl={`${base}/access`}
                      testId={`enable-${m.email}`}
                    >
                      <input type="hidden" name="email" value={m.email} />
                      <input type="hidden" name="access" value="enable" />
                    </ActionDialog>
                  ) : (
                    <ActionDialog
                      label="Disable"
                      danger
                      confirmText={<><strong>{m.email}</strong> will no longer be able to open this tenant. Their other tenants are not affected.</>}
                      actionUrl={`${base}/access`}
                      disabled={m.lastAdmin}
                      disabledReason="The last admin of the tenant: make another member admin first"
                      testId={`disable-${m.email}`}
                    >
                      <input type="hidden" name="email" value={m.email} />
                      <input type="hidden" name="access" value="disable" />
                    </ActionDialog>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Pending invitations</h2>
      {invitations.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="invitation-table">
            <thead>
              <tr><th>Email</th><th>Role</th><th>Invited by</th><th>Expires</th></tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}><td>{i.email}</td><td>{i.role}</td><td>{i.invitedBy}</td><td>{i.expires}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

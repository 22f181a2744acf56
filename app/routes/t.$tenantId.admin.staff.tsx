import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useCallback, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { pageTitle } from '~/i18n/fixed-t';
import { ActionDialog } from '~/components/action-dialog';
import type { ActionResult } from '../../machines';
import { zonedTimestamp } from '~/components/time';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { requireTenantPermission } from '~/server/auth.server';
import { ROLES, type Role } from '~/server/permissions';
import { INVITATION_TTL_DAYS, activeAdminIds, listMembers, listPendingInvitations } from '~/admin/staff.server';

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'admin', (t) => t('staff.title')) }];

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
      status: (m.accountDisabledAt ? 'accountDisabled' : m.disabledAt ? 'disabled' : 'active') as MemberStatus,
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

type MemberStatus = 'active' | 'disabled' | 'accountDisabled';
const STATUS_BADGE: Record<MemberStatus, string> = { active: 'completed', disabled: 'failed', accountDisabled: 'failed' };

function RoleSelect({ value }: { value?: Role }) {
  const { t } = useTranslation('admin');
  return (
    <label>
      {t('staff.role')}
      <select name="role" defaultValue={value ?? 'support'} required>
        {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
      </select>
    </label>
  );
}

export default function Staff() {
  const { base, ttlDays, members, invitations } = useLoaderData<typeof loader>();
  const { t } = useTranslation('admin');
  const [invitation, setInvitation] = useState<{ email: string; link: string } | null>(null);
  const onInvited = useCallback((result: ActionResult) => {
    const data = result.data as { link?: string; email?: string } | undefined;
    setInvitation(data?.link && data.email ? { email: data.email, link: data.link } : null);
  }, []);

  return (
    <>
      <section className="card">
        <h2>{t('staff.invite')}</h2>
        <p className="muted">{t('staff.inviteIntro', { days: ttlDays })}</p>
        <ActionDialog
          label={t('staff.inviteButton')}
          confirmText={t('staff.inviteConfirm')}
          actionUrl={`${base}/invite`}
          testId="invite"
          onDone={onInvited}
        >
          <label>{t('staff.email')}<input name="email" type="email" required maxLength={254} autoComplete="off" /></label>
          <RoleSelect />
        </ActionDialog>
        {invitation && (
          <div className="card" data-testid="invitation-link">
            <p><Trans t={t} i18nKey="staff.sendLink" values={{ email: invitation.email, days: ttlDays }} components={{ strong: <strong /> }} /></p>
            <input readOnly value={invitation.link} aria-label={t('staff.linkLabel')} size={80} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </section>

      <h2>{t('staff.members')}</h2>
      <div className="scroll" tabIndex={0}>
        <table className="data" data-testid="staff-table">
          <thead>
            <tr>{(['name', 'email', 'role', 'status', 'lastSignIn', 'actions'] as const).map((c) => <th key={c}>{t(`staff.column.${c}`)}</th>)}</tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-testid={`member-${m.email}`}>
                <td>{m.name}{m.you && <span className="muted">{t('staff.you')}</span>}</td>
                <td>{m.email}</td>
                <td><span className="badge">{t(`role.${m.role}`)}</span></td>
                <td><span className={`badge ${STATUS_BADGE[m.status]}`}>{t(`staff.status.${m.status}`)}</span></td>
                <td>{m.lastSignIn ?? '—'}</td>
                <td>
                  <ActionDialog
                    label={t('staff.changeRole')}
                    confirmText={<Trans t={t} i18nKey="staff.changeRoleConfirm" values={{ email: m.email }} components={{ strong: <strong /> }} />}
                    actionUrl={`${base}/role`}
                    disabled={m.lastAdmin}
                    disabledReason={t('staff.lastAdmin')}
                    testId={`role-${m.email}`}
                  >
                    <input type="hidden" name="email" value={m.email} />
                    <RoleSelect value={m.role} />
                  </ActionDialog>
                  {m.status === 'disabled' ? (
                    <ActionDialog
                      label={t('staff.enable')}
                      confirmText={<Trans t={t} i18nKey="staff.enableConfirm" values={{ email: m.email, role: t(`role.${m.role}`) }} components={{ strong: <strong /> }} />}
                      actionUrl={`${base}/access`}
                      testId={`enable-${m.email}`}
                    >
                      <input type="hidden" name="email" value={m.email} />
                      <input type="hidden" name="access" value="enable" />
                    </ActionDialog>
                  ) : (
                    <ActionDialog
                      label={t('staff.disable')}
                      danger
                      confirmText={<Trans t={t} i18nKey="staff.disableConfirm" values={{ email: m.email }} components={{ strong: <strong /> }} />}
                      actionUrl={`${base}/access`}
                      disabled={m.lastAdmin}
                      disabledReason={t('staff.lastAdmin')}
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

      <h2>{t('staff.pending')}</h2>
      {invitations.length === 0 ? (
        <p className="muted">{t('none')}</p>
      ) : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="invitation-table">
            <thead>
              <tr>{(['email', 'role', 'invitedBy', 'expires'] as const).map((c) => <th key={c}>{t(`staff.column.${c}`)}</th>)}</tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}><td>{i.email}</td><td>{t(`role.${i.role}`)}</td><td>{i.invitedBy}</td><td>{i.expires}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

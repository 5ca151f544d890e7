'use client';
import { joinMainMailbox } from '@/lib/client/mailboxes';
import { useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { DataTable } from '@/components/ui/table';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { SelectField, TextField } from '@/components/ui/field';
import { api, ApiError, type Json } from '@/lib/client/api';
import { createInvitationFlow } from '@/lib/client/flows';
import { checkPendingMember } from '@/lib/protocol/trust';
import { useKeys } from '@/lib/client/key-store';
import { grantOrgKey } from '@/lib/protocol/account';
import { fingerprint } from '@/lib/crypto/asymmetric';
import { fromB64u } from '@/lib/crypto/encoding';
import type { MemberRow, OpenInvitationRow } from '@/lib/members/service';
import { useValidationMessage } from '@/components/ui/use-field-errors';
import { useApiResource } from '@/components/app/use-api-resource';
import { useSession } from '@/components/app/session-context';
import { StaleCodesPanel } from '@/components/appointments/stale-codes';
import { CallButton } from '@/components/colleague-calls/call-button';
import { MissedCalls } from '@/components/colleague-calls/missed-calls';

type Member = Json<MemberRow>;
type Invitation = Json<OpenInvitationRow>;

export function MembersClient() {
  const t = useTranslations('members');
  const ta = useTranslations('app');
  const tc = useTranslations('common');
  const vMsg = useValidationMessage();
  const locale = useLocale() as 'de' | 'en';
  const s = useSession();
  const keys = useKeys();
  const { data, error, busy, run } = useApiResource<{ members: Member[]; invitations: Invitation[] }>('/api/members');
  const members = data?.members ?? [];
  const invitations = data?.invitations ?? [];
  const [invite, setInvite] = useState({ role: 'member', label: '', email: '' });
  const [inviteErrors, setInviteErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<{ url: string; days: number; secret: string; emailed: boolean } | null>(null);
  const [confirming, setConfirming] = useState<Member | null>(null);
  const [copied, setCopied] = useState(false);
  const [staleRefresh, setStaleRefresh] = useState(0);
  const isAdmin = s.role !== 'member';

  const createInvite = (e: React.FormEvent) => {
    e.preventDefault();
    setInviteErrors({});
    void run(async () => {
      try {
        if (!keys?.orgKey || !keys.orgPrivateKey) throw new ApiError('forbidden', 403);
        const r = await createInvitationFlow({ orgKey: keys.orgKey, orgPrivateKey: keys.orgPrivateKey, orgSignPrivate: keys.orgSignPrivate, orgId: s.orgId, input: { ...invite, locale } });
        setLink({ url: r.link, days: r.expiresInDays, secret: r.secret, emailed: r.emailed });
        setCopied(false);
      } catch (err) {
        if (err instanceof ApiError && err.fields) setInviteErrors(err.fields);
        throw err;
      }
    });
  };

  const confirm = (m: Member) =>
    run(async () => {
      if (!keys?.orgKey) throw new ApiError('forbidden', 403);
      // Only to keys the invitee proved with the invitation's secret: a server that put its own key here gets nothing.
      checkPendingMember(keys.orgKey, s.orgId, m);
      // Organisations registered before signing keys existed have none to certify with.
      if (!keys.orgSignPrivate) throw new ApiError('org_signing_key_missing', 409);
      const grant = grantOrgKey({
        orgKey: keys.orgKey,
        orgId: s.orgId,
        orgSignPrivate: keys.orgSignPrivate,
        sealerEd25519Private: keys.ed25519Private,
        member: { userId: m.id, x25519Public: m.x25519Public, ed25519Public: m.ed25519Public },
      });
      await api(`/api/members/${m.id}/confirm`, { body: grant });
      // Studies sent to the organisation reach the new member too.
      await joinMainMailbox(keys, m.id);
      setConfirming(null);
    });

  const remove = (m: Member) => {
    if (!window.confirm(t('removeConfirm', { user: m.shortName }))) return;
    // The codes of appointments still to come were readable by this member: the panel above offers new ones.
    void run(() => api(`/api/members/${m.id}/remove`, { body: {} })).then(() => setStaleRefresh((n) => n + 1));
  };

  const callFailed = (e: unknown) => void run(() => Promise.reject(e), { reload: false });

  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {error && <Alert tone="error" className="mb-4">{error}</Alert>}
      {isAdmin && <StaleCodesPanel refresh={staleRefresh} />}
      <DataTable headers={[t('shortName'), t('role'), t('status'), t('messaging'), t('actions')]}>
        {members.map((m) => (
          <tr key={m.id} data-testid={`member-${m.shortName}`}>
            <td className="px-4 py-2 font-medium">
              {m.shortName} {m.id === s.userId && <span className="text-slate-500">{t('you')}</span>}
            </td>
            <td className="px-4 py-2">{ta(`role.${m.role}`)}</td>
            <td className="px-4 py-2">
              <span className={m.status === 'pending' ? 'font-medium text-amber-700' : m.status === 'removed' ? 'text-slate-500' : 'text-emerald-700'}>
                {t(`statuses.${m.status}`)}
              </span>
            </td>
            <td className="px-4 py-2 text-sm">
              {m.role !== 'member' ? (
                <span className="text-slate-600">{t('messagingAlways')}</span>
              ) : (
                <label className="inline-flex items-center gap-2">
                  <input
                    type="checkbox"
                    className="h-4 w-4"
                    checked={m.mayMessagePatients}
                    disabled={!isAdmin || busy || m.status === 'removed'}
                    onChange={(e) => void run(() => api(`/api/members/${m.id}/messaging`, { body: { allowed: e.target.checked } }))}
                    aria-label={`${t('messaging')}: ${m.shortName}`}
                  />
                  {t('messagingAllowed')}
                </label>
              )}
            </td>
            <td className="space-x-2 px-4 py-2">
              {m.status === 'active' && m.memberCert && m.id !== s.userId && <CallButton userId={m.id} name={m.shortName} onError={callFailed} />}
              {isAdmin && m.status === 'pending' && (
                <Button type="button" variant="secondary" onClick={() => setConfirming(m)} disabled={busy}>
                  {t('confirm')}
                </Button>
              )}
              {isAdmin && m.status !== 'removed' && m.role !== 'owner' && m.id !== s.userId && (
                <Button type="button" variant="ghost" onClick={() => remove(m)} disabled={busy}>
                  {t('remove')}
                </Button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>

      <MissedCalls onError={callFailed} />

      {confirming && (
        <Card className="mt-6 ring-2 ring-amber-300">
          <h2 className="font-semibold">{t('confirmTitle')}</h2>
          <p className="mt-2 text-sm">{t('confirmText', { user: confirming.shortName })}</p>
          <p className="mt-2 rounded bg-slate-100 px-3 py-2 font-mono text-sm" data-testid="confirm-fingerprint">
            {fingerprint(fromB64u(confirming.x25519Public))}
          </p>
          <div className="mt-4 flex gap-3">
            <Button type="button" onClick={() => confirm(confirming)} pending={busy}>
              {t('confirm')}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
              {tc('cancel')}
            </Button>
          </div>
        </Card>
      )}

      {isAdmin ? (
        <div className="mt-6 grid gap-6 md:grid-cols-2">
          <Card>
            <h2 className="font-semibold">{t('invite')}</h2>
            <form onSubmit={createInvite} className="mt-4 space-y-4" noValidate>
              <SelectField
                name="role"
                label={t('inviteRole')}
                value={invite.role}
                onChange={(e) => setInvite((o) => ({ ...o, role: e.target.value }))}
                options={[
                  { value: 'member', label: ta('role.member') },
                  ...(s.role === 'owner' ? [{ value: 'admin', label: ta('role.admin') }] : []),
                ]}
              />
              <TextField name="label" label={t('inviteLabel')} value={invite.label} onChange={(e) => setInvite((o) => ({ ...o, label: e.target.value }))} error={vMsg(inviteErrors.label)} />
              <TextField name="email" type="email" label={t('inviteEmail')} value={invite.email} onChange={(e) => setInvite((o) => ({ ...o, email: e.target.value }))} error={vMsg(inviteErrors.email)} />
              <Button type="submit" pending={busy}>
                {t('createInvite')}
              </Button>
            </form>
            {link && (
              <div className="mt-4 rounded-md bg-brand-50 p-3 text-sm ring-1 ring-brand-200">
                <p>{t('inviteCreated', { days: link.days })}</p>
                <p className="mt-1 break-all font-mono text-xs" data-testid="invite-link">
                  {link.url}
                </p>
                <p className="mt-3 font-semibold">{t('inviteSecretTitle')}</p>
                <p className="mt-1 font-mono text-base tracking-wider" data-testid="invite-secret">
                  {link.secret}
                </p>
                <p className="mt-1 text-xs text-slate-700">{link.emailed ? t('inviteSecretEmailed') : t('inviteSecretInLink')}</p>
                <button
                  type="button"
                  className="mt-2 text-sm font-medium text-brand-700 underline"
                  onClick={() => navigator.clipboard?.writeText(link.url).then(() => setCopied(true))}
                >
                  {copied ? tc('copied') : tc('copy')}
                </button>
              </div>
            )}
          </Card>
          <Card>
            <h2 className="font-semibold">{t('openInvitations')}</h2>
            <ul className="mt-3 space-y-2 text-sm">
              {invitations.length === 0 && <li className="text-slate-500">–</li>}
              {invitations.map((i) => (
                <li key={i.id} className="flex items-center justify-between gap-2">
                  <span>
                    {i.label || ta(`role.${i.role}`)} · {new Date(i.expiresAt).toLocaleDateString(locale === 'de' ? 'de-DE' : 'en-GB')}
                  </span>
                  <Button type="button" variant="ghost" onClick={() => run(() => api(`/api/members/invitations/${i.id}`, { method: 'DELETE', body: {} }))}>
                    {t('withdraw')}
                  </Button>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      ) : (
        <p className="mt-6 text-sm text-slate-600">{t('readOnly')}</p>
      )}
    </div>
  );
}

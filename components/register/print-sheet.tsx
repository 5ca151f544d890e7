'use client';
import { useFormatter, useTranslations } from 'next-intl';
import { useFormContext, useWatch } from 'react-hook-form';
import { useClientMinute } from '@/lib/client/use-now';
import type { TWizardValues } from './wizard-form';

/** The sheet that "Übersicht drucken" prints: short names and blank lines for the passwords, which are never printed. */
export function PrintSheet() {
  const t = useTranslations('register');
  const format = useFormatter();
  const now = useClientMinute();
  const { control } = useFormContext<TWizardValues>();
  const [plan, orgName, orgShortName, userShortName, deviceName] = useWatch({ control, name: ['plan', 'orgName', 'orgShortName', 'userShortName', 'deviceName'] });
  return (
    <div className="print-only">
      <h1 className="text-2xl font-semibold">{t('printTitle')}</h1>
      {now !== null && <p className="mt-1 text-sm">{t('printDate', { date: format.dateTime(now, { dateStyle: 'long' }) })}</p>}
      <table className="mt-6 w-full text-left text-base">
        <tbody>
          {[
            [t('fields.orgName'), orgName],
            [t('fields.orgShortName'), orgShortName],
            [t('fields.userShortName'), userShortName],
            [t('fields.deviceName'), deviceName],
            [t('summaryPlan'), t(plan === 'basis' ? 'planBasis' : 'planPlus')],
          ].map(([k, v]) => (
            <tr key={k} className="border-b">
              <th className="py-2 pr-4 font-medium">{k}</th>
              <td className="py-2">{v}</td>
            </tr>
          ))}
          {[t('fields.password'), t('fields.masterPassword')].map((k) => (
            <tr key={k} className="border-b">
              <th className="py-4 pr-4 font-medium">{k}</th>
              <td className="py-4">______________________________</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-6 text-sm">{t('printNote')}</p>
    </div>
  );
}

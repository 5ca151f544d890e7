'use client';
import { useTranslations } from 'next-intl';
import { QRCodeSVG } from 'qrcode.react';
import { fingerprintQrText, partnerFingerprint, type PartnerKeys } from '@/lib/protocol/directory';

/** A partner's fingerprint as digit groups to read aloud, and as a QR code to compare with a phone. */
export function Fingerprint({ keys, name, label }: { keys: PartnerKeys; name: string; label?: string }) {
  const t = useTranslations('directory');
  const groups = partnerFingerprint(keys).split(' ');
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
      <div>
        {label && <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>}
        <p className="mt-1 grid grid-cols-3 gap-x-4 gap-y-1 font-mono text-lg tabular-nums text-slate-900" data-testid="fingerprint">
          {groups.map((g, i) => (
            <span key={i}>{g}</span>
          ))}
        </p>
      </div>
      <QRCodeSVG value={fingerprintQrText(keys)} size={128} level="M" role="img" aria-label={t('qr', { name })} className="shrink-0 rounded bg-white p-1 ring-1 ring-slate-200" />
    </div>
  );
}

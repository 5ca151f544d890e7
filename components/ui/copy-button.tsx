'use client';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { Button } from './button';

/** Copies `text` to the clipboard and says so for two seconds; if the browser refuses, the text stays selectable where it is shown. */
export function CopyButton({ text, label, onCopied }: { text: string; label: string; onCopied?: () => void }) {
  const t = useTranslations('appointments');
  const [done, setDone] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setDone(true);
          onCopied?.();
          setTimeout(() => setDone(false), 2000);
        } catch {
          // clipboard refused: the text is selectable
        }
      }}
    >
      {done ? t('copied') : label}
    </Button>
  );
}

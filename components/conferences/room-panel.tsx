'use client';
import { useEffect, useRef, useState } from 'react';
import { useFormatter, useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import type { ConferenceController } from '@/lib/client/conference';
import { MAX_CHAT_LENGTH } from '@/lib/protocol/conference-media';
import type { ConferenceState } from '@/lib/client/conference-state';
import { MESH_MAX_PARTICIPANTS } from '@/lib/protocol/conference';
import { HandIcon } from './icons';

/** Beside the pictures: the lobby and who is in (with the host's controls), and the chat. */
export function RoomPanel({ state, controller }: { state: ConferenceState; controller: ConferenceController }) {
  const t = useTranslations('conferences.room');
  const format = useFormatter();
  const [tab, setTab] = useState<'people' | 'chat'>('people');
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [seen, setSeen] = useState(0);
  const listRef = useRef<HTMLOListElement>(null);
  const waiting = state.people.filter((p) => p.state === 'waiting');
  const admitted = state.people.filter((p) => p.state === 'admitted');
  // The mesh's limit; through LiveKit the server decides who may enter.
  const full = state.media === 'mesh' && admitted.length >= MESH_MAX_PARTICIPANTS;
  const meIsMember = !!state.people.find((p) => p.me && !p.guest);
  const unread = tab === 'chat' ? 0 : state.chat.length - seen;

  useEffect(() => {
    if (tab === 'chat') listRef.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [tab, state.chat.length]);

  const act = (fn: () => Promise<void>) => void fn().catch(() => setNote(t('actionFailed')));

  return (
    <aside className="flex w-full flex-col rounded-xl bg-white ring-1 ring-slate-200 lg:w-80" aria-label={t('panel')}>
      <div className="flex border-b border-slate-200" role="tablist">
        {(['people', 'chat'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={`flex-1 px-3 py-2 text-sm font-medium ${tab === k ? 'border-b-2 border-brand-600 text-brand-800' : 'text-slate-600'}`}
            onClick={() => {
              // Whatever was in the chat when one leaves or opens it counts as read.
              setSeen(state.chat.length);
              setTab(k);
            }}
            data-testid={`panel-${k}`}
          >
            {k === 'people' ? t('people', { count: admitted.length }) : t('chat')}
            {k === 'chat' && unread > 0 && <span className="ml-1 rounded-full bg-brand-600 px-1.5 text-xs text-white">{unread}</span>}
            {k === 'people' && waiting.length > 0 && <span className="ml-1 rounded-full bg-amber-500 px-1.5 text-xs text-white">{waiting.length}</span>}
          </button>
        ))}
      </div>
      {tab === 'people' ? (
        <div className="space-y-4 p-3 text-sm">
          {waiting.length > 0 && (
            <section aria-label={t('lobby')}>
              <h3 className="font-semibold">{t('lobby')}</h3>
              {full && <p className="mt-1 text-xs text-amber-800">{t('fullHint', { max: MESH_MAX_PARTICIPANTS })}</p>}
              <ul className="mt-1 divide-y divide-slate-100">
                {waiting.map((p) => (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="lobby-entry" data-name={p.name}>
                    <span className="font-medium">
                      {p.name} <span className="text-xs font-normal text-slate-500">({t('guest')})</span>
                    </span>
                    <span className="flex gap-1">
                      {meIsMember && (
                        <Button type="button" className="px-2 py-1 text-xs" disabled={full} onClick={() => act(() => controller.admit(p.id))} data-testid="admit">
                          {t('admit')}
                        </Button>
                      )}
                      {state.isHost && (
                        <Button type="button" variant="secondary" className="px-2 py-1 text-xs" onClick={() => act(() => controller.remove(p.id))}>
                          {t('remove')}
                        </Button>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-label={t('inRoom')}>
            <h3 className="font-semibold">{t('inRoom')}</h3>
            <ul className="mt-1 divide-y divide-slate-100">
              {admitted.map((p) => {
                const peer = state.peers[p.id];
                return (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="room-entry" data-name={p.name}>
                    <span>
                      <span className="font-medium">{p.me ? t('you', { name: p.name }) : p.name}</span>{' '}
                      <span className="text-xs text-slate-500">
                        {p.isHost ? t('host') : p.guest ? t('guest') : t('member')}
                        {peer && !peer.microphone ? ` · ${t('muted')}` : ''}
                        {peer?.hand && (
                          <>
                            {' · '}
                            <span role="img" aria-label={t('handRaised')} title={t('handRaised')} data-testid="entry-hand">
                              <HandIcon className="inline h-3.5 w-3.5 align-[-2px] text-amber-600" />
                            </span>
                          </>
                        )}
                      </span>
                    </span>
                    {state.isHost && !p.me && (
                      <span className="flex gap-1">
                        <Button type="button" variant="secondary" className="px-2 py-1 text-xs" onClick={() => controller.muteOther(p.id)} data-testid="mute-other">
                          {t('muteOther')}
                        </Button>
                        <Button type="button" variant="secondary" className="px-2 py-1 text-xs" onClick={() => act(() => controller.remove(p.id))} data-testid="remove-other">
                          {t('remove')}
                        </Button>
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
          {note && <p className="text-xs text-red-700">{note}</p>}
        </div>
      ) : (
        <div className="flex min-h-64 flex-1 flex-col p-3">
          <ol ref={listRef} className="max-h-80 flex-1 space-y-2 overflow-y-auto text-sm" aria-live="polite" data-testid="chat-log">
            {state.chat.length === 0 && <li className="text-slate-500">{t('chatEmpty')}</li>}
            {state.chat.map((m) => (
              <li key={m.id} className={`rounded-lg px-3 py-2 ${m.mine ? 'ml-6 bg-brand-50' : 'mr-6 bg-slate-100'}`} data-testid="chat-line">
                <p className="text-xs text-slate-500">
                  {m.mine ? t('you', { name: m.name }) : m.name} · {format.dateTime(new Date(m.at), { timeStyle: 'short' })}
                </p>
                <p className="whitespace-pre-wrap break-words">{m.text}</p>
              </li>
            ))}
          </ol>
          <form
            className="mt-2 flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (!draft.trim()) return;
              const delivered = controller.sendChat(draft);
              setNote(delivered ? null : t('chatNobody'));
              setDraft('');
            }}
          >
            <label className="sr-only" htmlFor="chat-input">
              {t('chatLabel')}
            </label>
            <input
              id="chat-input"
              className="min-w-0 flex-1 rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
              value={draft}
              maxLength={MAX_CHAT_LENGTH}
              onChange={(e) => setDraft(e.target.value)}
              placeholder={t('chatPlaceholder')}
              data-testid="chat-input"
            />
            <Button type="submit" className="px-3" data-testid="chat-send">
              {t('send')}
            </Button>
          </form>
          <p className="mt-2 text-xs text-slate-500">{note ?? t('chatNote')}</p>
        </div>
      )}
    </aside>
  );
}

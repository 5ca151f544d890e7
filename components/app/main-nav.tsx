'use client';
// The app's main navigation: one line at desktop width, with related pages
// grouped (Radix NavigationMenu: the disclosure pattern, keyboard included);
// on a phone a menu button opens the whole list.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import * as Menu from '@radix-ui/react-navigation-menu';

export type NavLink = { href: string; label: string };
export type NavEntry = NavLink | { id: string; label: string; children: NavLink[] };

const isGroup = (e: NavEntry): e is Extract<NavEntry, { children: NavLink[] }> => 'children' in e;

function useActive() {
  const path = usePathname();
  return (href: string) => (href === '/app' ? path === '/app' : path === href || path.startsWith(`${href}/`));
}

const itemClass = (active: boolean) =>
  `inline-flex items-center gap-1 border-b-2 px-3 py-2 font-medium outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${active ? 'border-brand-600 text-brand-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`;

function Chevron() {
  return (
    <svg aria-hidden="true" viewBox="0 0 12 12" className="h-3 w-3 transition-transform group-data-[state=open]:rotate-180">
      <path d="M2.5 4.5 6 8l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function MainNav({ entries }: { entries: NavEntry[] }) {
  const t = useTranslations('nav');
  const active = useActive();
  const path = usePathname();
  // The phone's list is open for the page it was opened on: a link followed closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === path;
  const panel = useId();

  return (
    <>
      <Menu.Root aria-label={t('mainNav')} className="mx-auto hidden max-w-6xl px-4 md:block">
        <Menu.List className="flex gap-1 text-sm">
          {entries.map((e) =>
            isGroup(e) ? (
              <Menu.Item key={e.id} className="relative">
                {/* Opened by click or keyboard only: a menu that also opens on hover closes under a click that meant to open it. */}
                <Menu.Trigger
                  className={`group ${itemClass(e.children.some((c) => active(c.href)))}`}
                  onPointerMove={(ev) => ev.preventDefault()}
                  onPointerLeave={(ev) => ev.preventDefault()}
                >
                  {e.label}
                  <Chevron />
                </Menu.Trigger>
                <Menu.Content
                  className="absolute left-0 top-full z-30 mt-px w-72 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
                  onPointerMove={(ev) => ev.preventDefault()}
                  onPointerLeave={(ev) => ev.preventDefault()}
                >
                  <ul>
                    {e.children.map((c) => (
                      <li key={c.href}>
                        <Menu.Link asChild active={active(c.href)}>
                          <Link
                            href={c.href}
                            aria-current={active(c.href) ? 'page' : undefined}
                            className="block rounded px-3 py-2 text-sm text-slate-700 outline-none hover:bg-slate-100 focus-visible:bg-slate-100 data-[active]:font-semibold data-[active]:text-brand-800"
                          >
                            {c.label}
                          </Link>
                        </Menu.Link>
                      </li>
                    ))}
                  </ul>
                </Menu.Content>
              </Menu.Item>
            ) : (
              <Menu.Item key={e.href}>
                <Menu.Link asChild active={active(e.href)}>
                  <Link href={e.href} aria-current={active(e.href) ? 'page' : undefined} className={itemClass(active(e.href))}>
                    {e.label}
                  </Link>
                </Menu.Link>
              </Menu.Item>
            ),
          )}
        </Menu.List>
      </Menu.Root>

      <div className="mx-auto max-w-6xl px-4 pb-2 md:hidden">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={panel}
          onClick={() => setOpenOn(open ? null : path)}
          className="inline-flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4">
            <path d={open ? 'M4 4l8 8M12 4l-8 8' : 'M2 4h12M2 8h12M2 12h12'} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
          </svg>
          {t('menu')}
        </button>
        {open && (
          <nav id={panel} aria-label={t('mainNav')} className="mt-2">
            <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm">
              {entries.map((e) =>
                isGroup(e) ? (
                  <li key={e.id} className="py-1">
                    <p className="px-3 pt-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{e.label}</p>
                    <ul>
                      {e.children.map((c) => (
                        <li key={c.href}>
                          <Link href={c.href} aria-current={active(c.href) ? 'page' : undefined} className={`block px-5 py-2 ${active(c.href) ? 'font-semibold text-brand-800' : 'text-slate-700'}`}>
                            {c.label}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </li>
                ) : (
                  <li key={e.href}>
                    <Link href={e.href} aria-current={active(e.href) ? 'page' : undefined} className={`block px-3 py-2.5 ${active(e.href) ? 'font-semibold text-brand-800' : 'text-slate-700'}`}>
                      {e.label}
                    </Link>
                  </li>
                ),
              )}
            </ul>
          </nav>
        )}
      </div>
    </>
  );
}

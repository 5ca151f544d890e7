// Messages Konsil sends to patients on a practice's behalf (invitation,
// reminder, new time and cancellation of a video consultation), by e-mail and
// by SMS, in German and English. They name the practice, the time, the link and
// the access code — never the patient: the server does not know who the
// patient is. A cancellation carries no link and no code.
import type { Locale } from './templates';
import { smsLength } from '@/lib/validation/phone';

export type PatientMessageKind = 'invitation' | 'reminder' | 'moved' | 'cancelled';
export type PatientVars = { practiceName: string; startsAt: Date; link: string; code: string };
export type RenderedMessage = { subject: string; text: string };

const TZ = 'Europe/Berlin';
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();

function longDate(d: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}
function shortDate(d: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}
function time(d: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}
/** "CET"/"CEST" for English readers, who may not be in Germany. */
function zone(d: Date): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'CET';
}

function renderCancelledEmail(locale: Locale, v: PatientVars): RenderedMessage {
  const practice = oneLine(v.practiceName);
  const when = longDate(v.startsAt, locale);
  const at = time(v.startsAt, locale);
  if (locale === 'de') {
    return {
      subject: `Abgesagt: Ihre Videosprechstunde bei ${practice}`,
      text: [
        'Guten Tag,',
        '',
        `${practice} hat Ihre Videosprechstunde am ${when} um ${at} Uhr abgesagt.`,
        'Der Link und der Zugangscode aus der Einladung gelten nicht mehr. Für einen neuen Termin wenden Sie sich bitte direkt an die Praxis.',
        '',
        `Diese Nachricht wurde im Auftrag von ${practice} über Konsil versandt.`,
      ].join('\n'),
    };
  }
  return {
    subject: `Cancelled: your video consultation with ${practice}`,
    text: [
      'Hello,',
      '',
      `${practice} has cancelled your video consultation on ${when} at ${at} (${zone(v.startsAt)}, German time).`,
      'The link and access code from the invitation no longer work. For a new appointment, please contact the practice directly.',
      '',
      `This message was sent by Konsil on behalf of ${practice}.`,
    ].join('\n'),
  };
}

export function renderPatientEmail(kind: PatientMessageKind, locale: Locale, v: PatientVars): RenderedMessage {
  if (kind === 'cancelled') return renderCancelledEmail(locale, v);
  const practice = oneLine(v.practiceName);
  const when = longDate(v.startsAt, locale);
  const at = time(v.startsAt, locale);
  if (locale === 'de') {
    const how =
      'So nehmen Sie teil: Öffnen Sie den Link kurz vor dem Termin auf einem Smartphone, Tablet oder Computer mit Kamera und Mikrofon in einem aktuellen Browser und geben Sie den Zugangscode ein. Eine Installation ist nicht nötig. Sie warten im virtuellen Wartezimmer, bis die Praxis Sie hereinholt.';
    const lines =
      kind === 'invitation'
        ? [`${practice} lädt Sie zu einer Videosprechstunde ein.`]
        : kind === 'moved'
          ? [`${practice} hat Ihre Videosprechstunde auf einen neuen Termin verlegt. Link und Zugangscode bleiben gleich.`]
          : [`wir erinnern Sie an Ihre Videosprechstunde bei ${practice}.`];
    const subjects = {
      invitation: `Ihre Videosprechstunde bei ${practice}`,
      moved: `Neuer Termin: Videosprechstunde am ${shortDate(v.startsAt, locale)} um ${at} Uhr`,
      reminder: `Erinnerung: Videosprechstunde am ${shortDate(v.startsAt, locale)} um ${at} Uhr`,
    };
    return {
      subject: subjects[kind],
      text: [
        'Guten Tag,',
        '',
        ...lines,
        '',
        `Termin: ${when}, ${at} Uhr`,
        `Link: ${v.link}`,
        `Zugangscode: ${v.code}`,
        '',
        how,
        '',
        'Bitte geben Sie Link und Zugangscode nicht weiter. Wenn Sie den Termin nicht wahrnehmen können, wenden Sie sich bitte direkt an die Praxis.',
        '',
        `Diese Nachricht wurde im Auftrag von ${practice} über Konsil versandt.`,
      ].join('\n'),
    };
  }
  const how =
    'How to join: shortly before the appointment, open the link on a smartphone, tablet or computer with camera and microphone in an up-to-date browser and enter the access code. Nothing needs to be installed. You will wait in the virtual waiting room until the practice lets you in.';
  const subjects = {
    invitation: `Your video consultation with ${practice}`,
    moved: `New time: video consultation on ${shortDate(v.startsAt, locale)} at ${at} ${zone(v.startsAt)}`,
    reminder: `Reminder: video consultation on ${shortDate(v.startsAt, locale)} at ${at} ${zone(v.startsAt)}`,
  };
  const opening = {
    invitation: `${practice} invites you to a video consultation.`,
    moved: `${practice} has moved your video consultation to a new time. The link and access code stay the same.`,
    reminder: `this is a reminder of your video consultation with ${practice}.`,
  };
  return {
    subject: subjects[kind],
    text: [
      'Hello,',
      '',
      opening[kind],
      '',
      `Appointment: ${when}, ${at} (${zone(v.startsAt)}, German time)`,
      `Link: ${v.link}`,
      `Access code: ${v.code}`,
      '',
      how,
      '',
      'Please do not pass on the link or the access code. If you cannot attend, please contact the practice directly.',
      '',
      `This message was sent by Konsil on behalf of ${practice}.`,
    ].join('\n'),
  };
}

/**
 * The SMS text: one SMS (160 GSM characters) wherever possible. A long
 * practice name is shortened first; link and code are never cut.
 */
export function renderPatientSms(kind: PatientMessageKind, locale: Locale, v: PatientVars): string {
  const d = shortDate(v.startsAt, locale);
  const t = time(v.startsAt, locale);
  const build = (name: string) => {
    if (locale === 'de') {
      return {
        invitation: `${name}: Videosprechstunde am ${d} um ${t} Uhr. Link: ${v.link} Code: ${v.code}`,
        reminder: `Erinnerung ${name}: Videosprechstunde am ${d} um ${t} Uhr. ${v.link} Code: ${v.code}`,
        moved: `${name}: Ihre Videosprechstunde ist verlegt auf ${d} um ${t} Uhr. ${v.link} Code: ${v.code}`,
        cancelled: `${name}: Ihre Videosprechstunde am ${d} um ${t} Uhr ist abgesagt. Link und Code gelten nicht mehr. Bitte wenden Sie sich an die Praxis.`,
      }[kind];
    }
    const z = zone(v.startsAt);
    return {
      invitation: `${name}: video consultation on ${d} at ${t} ${z}. Link: ${v.link} Code: ${v.code}`,
      reminder: `Reminder ${name}: video consultation on ${d} at ${t} ${z}. ${v.link} Code: ${v.code}`,
      moved: `${name}: your video consultation is moved to ${d} at ${t} ${z}. ${v.link} Code: ${v.code}`,
      cancelled: `${name}: your video consultation on ${d} at ${t} ${z} is cancelled. Link and code no longer work. Please contact the practice.`,
    }[kind];
  };
  const full = oneLine(v.practiceName);
  let text = build(full);
  if (smsLength(text).parts === 1) return text;
  const chars = [...full];
  for (let n = chars.length - 1; n >= 12; n--) {
    text = build(`${chars.slice(0, n).join('').trimEnd()}.`);
    if (smsLength(text).parts === 1) return text;
  }
  return build(full);
}

export function renderTestSms(locale: Locale, orgName: string): string {
  const name = [...oneLine(orgName)].slice(0, 40).join('');
  return locale === 'de'
    ? `Test-SMS von Konsil für ${name}. Der SMS-Versand ist eingerichtet.`
    : `Test SMS from Konsil for ${name}. SMS delivery is set up.`;
}

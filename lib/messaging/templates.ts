// E-mail templates in German and English. They carry no credentials and no
// patient data: only contract data the operator already holds.
export type Locale = 'de' | 'en';

export type TemplateVars = {
  registration_confirmation: { orgName: string; orgShortName: string; userShortName: string; plan: string; loginUrl: string; confirmUrl: string };
  email_confirmation: { orgName: string; confirmUrl: string };
  device_pending: { orgName: string; userShortName: string; deviceName: string; devicesUrl: string };
  member_pending: { orgName: string; userShortName: string; membersUrl: string };
  member_invitation: { orgName: string; inviteUrl: string };
  password_recovered: { orgName: string; userShortName: string };
  test_email: { orgName: string; via: 'konsil' | 'smtp' };
  contract_cancelled: { orgName: string; endsOn: string; deletionAfter: string; contractUrl: string };
  contract_cancellation_revoked: { orgName: string; contractUrl: string };
  invoice_ready: { orgName: string; number: string; month: string; gross: string; contractUrl: string };
  smtp_password_expiring: { orgName: string; expiresAt: string; count: number; settingsUrl: string };
  study_received: { orgName: string; mailboxName: string; senderOrgName: string; studiesUrl: string };
};
export type TemplateName = keyof TemplateVars;

type Rendered = { subject: string; text: string };

const templates: { [K in TemplateName]: Record<Locale, (v: TemplateVars[K]) => Rendered> } = {
  // Who sent to which mailbox, nothing of the study: its details are end-to-end encrypted.
  study_received: {
    de: (v) => ({
      subject: `Neue Studie im Postfach „${v.mailboxName}“`,
      text: [
        'Guten Tag,',
        '',
        `im Postfach „${v.mailboxName}“ von „${v.orgName}“ ist eine neue Studie von „${v.senderOrgName}“ eingegangen.`,
        '',
        `Patientendaten stehen aus Datenschutzgründen nicht in dieser E-Mail. Sie sehen die Studie nach der Anmeldung unter Studien → Posteingang: ${v.studiesUrl}`,
        '',
        'Ihr Konsil-Team',
      ].join('\n'),
    }),
    en: (v) => ({
      subject: `New study in the mailbox "${v.mailboxName}"`,
      text: [
        'Hello,',
        '',
        `a new study from "${v.senderOrgName}" has arrived in the mailbox "${v.mailboxName}" of "${v.orgName}".`,
        '',
        `For data protection, patient details are not in this e-mail. You see the study after signing in under Studies → Inbox: ${v.studiesUrl}`,
        '',
        'Your Konsil team',
      ].join('\n'),
    }),
  },
  smtp_password_expiring: {
    de: (v) => ({
      subject: `SMTP-Passwort läuft ab – ${v.count === 1 ? 'eine Nachricht an Patienten würde' : `${v.count} Nachrichten an Patienten würden`} nicht versandt`,
      text: [
        'Guten Tag,',
        '',
        `„${v.orgName}“ versendet E-Mails an Patientinnen und Patienten über den eigenen SMTP-Server. Konsil bewahrt das SMTP-Passwort nur bis ${v.expiresAt} auf.`,
        '',
        `${v.count === 1 ? 'Eine geplante Nachricht (Einladung oder Erinnerung) ist' : `${v.count} geplante Nachrichten (Einladungen oder Erinnerungen) sind`} erst danach fällig und ${v.count === 1 ? 'würde' : 'würden'} ohne Passwort nicht versandt.`,
        '',
        `Bitte geben Sie das Passwort unter Einstellungen → E-Mail erneut ein und wählen Sie eine passende Aufbewahrungsdauer: ${v.settingsUrl}`,
        '',
        'Ihr Konsil-Team',
      ].join('\n'),
    }),
    en: (v) => ({
      subject: `SMTP password expires – ${v.count === 1 ? 'one message' : `${v.count} messages`} to patients would not be sent`,
      text: [
        'Hello,',
        '',
        `"${v.orgName}" sends e-mails to patients through its own SMTP server. Konsil keeps the SMTP password only until ${v.expiresAt}.`,
        '',
        `${v.count === 1 ? 'One planned message (invitation or reminder) is' : `${v.count} planned messages (invitations or reminders) are`} due only after that and would not be sent without the password.`,
        '',
        `Please enter the password again under Settings → E-mail and choose a suitable retention: ${v.settingsUrl}`,
        '',
        'Your Konsil team',
      ].join('\n'),
    }),
  },
  contract_cancelled: {
    de: (v) => ({
      subject: `Bestätigung Ihrer Kündigung – ${v.orgName}`,
      text: [
        'Guten Tag,',
        '',
        `wir bestätigen die Kündigung des Konsil-Vertrags für „${v.orgName}“. Ihr Vertrag endet zum ${v.endsOn}. Bis dahin können Sie Konsil uneingeschränkt nutzen.`,
        '',
        `Nach dem ${v.deletionAfter} werden Ihr Benutzerkonto, alle Benutzer, Geräte, Schlüssel, Termine und alle weiteren Daten Ihrer Organisation unwiderruflich gelöscht.`,
        '',
        `Bis zum Vertragsende können Sie die Kündigung unter Stammdaten → Rechnungsdaten widerrufen: ${v.contractUrl}`,
        '',
        'Ihr Konsil-Team',
      ].join('\n'),
    }),
    en: (v) => ({
      subject: `Confirmation of your cancellation – ${v.orgName}`,
      text: [
        'Hello,',
        '',
        `we confirm the cancellation of the Konsil contract for "${v.orgName}". Your contract ends on ${v.endsOn}. Until then you can use Konsil in full.`,
        '',
        `After ${v.deletionAfter}, your account, all users, devices, keys, appointments and all other data of your organisation will be deleted irrevocably.`,
        '',
        `Until the end of the contract you can revoke the cancellation under Master data → Billing: ${v.contractUrl}`,
        '',
        'Your Konsil team',
      ].join('\n'),
    }),
  },
  contract_cancellation_revoked: {
    de: (v) => ({
      subject: `Kündigung widerrufen – ${v.orgName}`,
      text: `Guten Tag,\n\nSie haben die Kündigung des Konsil-Vertrags für „${v.orgName}“ widerrufen. Ihr Vertrag läuft unverändert weiter; es wird nichts gelöscht.\n\n${v.contractUrl}\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `Cancellation revoked – ${v.orgName}`,
      text: `Hello,\n\nyou have revoked the cancellation of the Konsil contract for "${v.orgName}". Your contract continues unchanged; nothing will be deleted.\n\n${v.contractUrl}\n\nYour Konsil team`,
    }),
  },
  invoice_ready: {
    de: (v) => ({
      subject: `Neue Rechnung ${v.number} – ${v.orgName}`,
      text: `Guten Tag,\n\nIhre Rechnung ${v.number} für ${v.month} über ${v.gross} steht unter Stammdaten → Rechnungsdaten → Abrechnung als PDF bereit:\n${v.contractUrl}\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `New invoice ${v.number} – ${v.orgName}`,
      text: `Hello,\n\nyour invoice ${v.number} for ${v.month} of ${v.gross} is ready as a PDF under Master data → Billing → Invoices:\n${v.contractUrl}\n\nYour Konsil team`,
    }),
  },
  registration_confirmation: {
    de: (v) => ({
      subject: `Willkommen bei Konsil – ${v.orgName}`,
      text: [
        'Guten Tag,',
        '',
        `die Organisation „${v.orgName}“ ist bei Konsil registriert (Tarif: Konsil ${v.plan}).`,
        `Kurzname der Organisation: ${v.orgShortName}`,
        `Kurzname des Benutzers: ${v.userShortName}`,
        '',
        'Ihre Passwörter kennen nur Sie. Bewahren Sie Ihr Masterpasswort sicher auf: Niemand, auch nicht der Betreiber, kann verlorene Zugangsdaten wiederherstellen.',
        '',
        `Bitte bestätigen Sie diese E-Mail-Adresse: ${v.confirmUrl}`,
        'Erst danach versendet Konsil Einladungen und Erinnerungen an Patientinnen und Patienten (Konsil plus).',
        '',
        `Zur Anmeldung: ${v.loginUrl}`,
        '',
        'Ihr Konsil-Team',
      ].join('\n'),
    }),
    en: (v) => ({
      subject: `Welcome to Konsil – ${v.orgName}`,
      text: [
        'Hello,',
        '',
        `the organisation "${v.orgName}" is now registered with Konsil (plan: Konsil ${v.plan}).`,
        `Organisation short name: ${v.orgShortName}`,
        `User short name: ${v.userShortName}`,
        '',
        'Only you know your passwords. Keep your master password safe: nobody, the operator included, can restore lost credentials.',
        '',
        `Please confirm this e-mail address: ${v.confirmUrl}`,
        'Only then does Konsil send invitations and reminders to patients (Konsil plus).',
        '',
        `Log in: ${v.loginUrl}`,
        '',
        'Your Konsil team',
      ].join('\n'),
    }),
  },
  email_confirmation: {
    de: (v) => ({
      subject: `E-Mail-Adresse bestätigen – ${v.orgName}`,
      text: `Guten Tag,\n\nbitte bestätigen Sie die E-Mail-Adresse der Organisation „${v.orgName}“:\n${v.confirmUrl}\n\nErst danach versendet Konsil Einladungen und Erinnerungen an Patientinnen und Patienten.\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `Confirm your e-mail address – ${v.orgName}`,
      text: `Hello,\n\nplease confirm the e-mail address of the organisation "${v.orgName}":\n${v.confirmUrl}\n\nOnly then does Konsil send invitations and reminders to patients.\n\nYour Konsil team`,
    }),
  },
  device_pending: {
    de: (v) => ({
      subject: `Neues Endgerät wartet auf Freischaltung – ${v.orgName}`,
      text: `Der Benutzer „${v.userShortName}“ möchte das Endgerät „${v.deviceName}“ verwenden.\nBitte prüfen Sie die Anfrage von einem freigeschalteten Gerät aus unter Stammdaten → Arbeitsplätze/Endgeräte:\n${v.devicesUrl}\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `New device awaiting approval – ${v.orgName}`,
      text: `The user "${v.userShortName}" would like to use the device "${v.deviceName}".\nPlease review the request from an approved device under Master data → Workstations/devices:\n${v.devicesUrl}\n\nYour Konsil team`,
    }),
  },
  member_pending: {
    de: (v) => ({
      subject: `Neuer Benutzer wartet auf Bestätigung – ${v.orgName}`,
      text: `Der Benutzer „${v.userShortName}“ hat seine Einladung angenommen. Bitte bestätigen Sie ihn von einem freigeschalteten Gerät aus unter Stammdaten → Benutzer:\n${v.membersUrl}\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `New user awaiting confirmation – ${v.orgName}`,
      text: `The user "${v.userShortName}" has accepted the invitation. Please confirm them from an approved device under Master data → Users:\n${v.membersUrl}\n\nYour Konsil team`,
    }),
  },
  member_invitation: {
    de: (v) => ({
      subject: `Einladung zu Konsil – ${v.orgName}`,
      text: `Sie wurden eingeladen, Konsil für „${v.orgName}“ zu nutzen.\nÖffnen Sie diesen Link, um Ihre Zugangsdaten festzulegen (einmalig gültig):\n${v.inviteUrl}\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `Invitation to Konsil – ${v.orgName}`,
      text: `You have been invited to use Konsil for "${v.orgName}".\nOpen this link to set your credentials (valid once):\n${v.inviteUrl}\n\nYour Konsil team`,
    }),
  },
  password_recovered: {
    de: (v) => ({
      subject: `Passwort neu gesetzt – ${v.orgName}`,
      text: `Das Passwort des Benutzers „${v.userShortName}“ wurde mit dem Masterpasswort neu gesetzt. Alle bestehenden Sitzungen wurden beendet.\nWaren Sie das nicht, wenden Sie sich sofort an die Hauptnutzerin bzw. den Hauptnutzer Ihrer Organisation.\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `Password reset – ${v.orgName}`,
      text: `The password of the user "${v.userShortName}" was reset with the master password. All existing sessions have been ended.\nIf this was not you, contact your organisation's main user at once.\n\nYour Konsil team`,
    }),
  },
  test_email: {
    de: (v) => ({
      subject: `Test-E-Mail von Konsil – ${v.orgName}`,
      text: `Diese Test-E-Mail wurde unter Einstellungen → E-Mail für „${v.orgName}“ ausgelöst (Versand: ${v.via === 'smtp' ? 'eigener SMTP-Server' : 'Konsil'}).\nWenn Sie sie lesen, funktioniert der E-Mail-Versand.\n\nIhr Konsil-Team`,
    }),
    en: (v) => ({
      subject: `Test e-mail from Konsil – ${v.orgName}`,
      text: `This test e-mail was sent from Settings → E-mail for "${v.orgName}" (delivery: ${v.via === 'smtp' ? 'own SMTP server' : 'Konsil'}).\nIf you can read it, e-mail delivery works.\n\nYour Konsil team`,
    }),
  },
};

export function renderTemplate<K extends TemplateName>(name: K, locale: Locale, vars: TemplateVars[K]): Rendered {
  return templates[name][locale](vars);
}

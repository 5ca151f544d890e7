// The data processing agreement (Art. 28 GDPR) as shown at /avv. Versioned by
// AVV_VERSION; consent records store the version that was accepted.
type Section = { title: string; paragraphs: string[] };

export const AVV_SECTIONS: Record<'de' | 'en', Section[]> = {
  de: [
    {
      title: '1. Gegenstand und Dauer',
      paragraphs: [
        'Der Auftragnehmer (Betreiber von Konsil) verarbeitet personenbezogene Daten im Auftrag des Auftraggebers (der registrierten Organisation) ausschließlich zur Bereitstellung der Telekooperationsplattform Konsil. Die Vereinbarung gilt für die Dauer des Nutzungsvertrags.',
      ],
    },
    {
      title: '2. Art der Daten und Ende-zu-Ende-Verschlüsselung',
      paragraphs: [
        'Patientenbezogene Inhalte (Namen, Kontaktdaten, Notizen, Bilddaten, Dokumente, Nachrichten) werden im Browser des Auftraggebers mit Schlüsseln verschlüsselt, die aus Passwörtern abgeleitet werden, die der Auftragnehmer nie erhält. Der Auftragnehmer speichert diese Inhalte ausschließlich verschlüsselt und kann sie nicht lesen.',
        'Im Klartext verarbeitet der Auftragnehmer nur Vertragsdaten (Organisation, Anschrift, Hauptnutzer, Bankverbindung), Kurznamen, Gerätebezeichnungen sowie technische Metadaten (Zeitpunkte, Dauer, Anzahl).',
      ],
    },
    {
      title: '3. Weisungsgebundenheit und Vertraulichkeit',
      paragraphs: [
        'Der Auftragnehmer verarbeitet Daten nur auf dokumentierte Weisung des Auftraggebers. Alle mit der Verarbeitung befassten Personen sind zur Vertraulichkeit verpflichtet.',
      ],
    },
    {
      title: '4. Technische und organisatorische Maßnahmen',
      paragraphs: [
        'Ende-zu-Ende-Verschlüsselung (XChaCha20-Poly1305, X25519, AES-256-GCM), speicherharte Passwortableitung (Argon2id), Anmeldung nur von freigeschalteten Endgeräten, Begrenzung von Anmeldeversuchen, Transportverschlüsselung, Protokollierung ohne Inhaltsdaten.',
      ],
    },
    {
      title: '5. Unterauftragsverarbeiter',
      paragraphs: [
        'Für den Versand von E-Mails und SMS können Unterauftragsverarbeiter eingesetzt werden. Diese erhalten nur die für den jeweiligen Versand nötigen Daten; der Auftraggeber wird über Änderungen informiert.',
      ],
    },
    {
      title: '6. Löschung',
      paragraphs: [
        'Nach Vertragsende werden sämtliche Daten des Auftraggebers unwiderruflich gelöscht. Verbindungsdaten von Videosprechstunden werden spätestens nach drei Monaten gelöscht (KBV Anlage 31b).',
      ],
    },
  ],
  en: [
    {
      title: '1. Subject and duration',
      paragraphs: [
        'The processor (operator of Konsil) processes personal data on behalf of the controller (the registered organisation) solely to provide the Konsil telecooperation platform. This agreement applies for the term of the contract of use.',
      ],
    },
    {
      title: '2. Kinds of data and end-to-end encryption',
      paragraphs: [
        "Patient-related content (names, contact data, notes, imaging studies, documents, messages) is encrypted in the controller's browser under keys derived from passwords the processor never receives. The processor stores such content only encrypted and cannot read it.",
        'In clear, the processor handles only contract data (organisation, address, main user, bank details), short names, device names and technical metadata (times, durations, counts).',
      ],
    },
    {
      title: '3. Instructions and confidentiality',
      paragraphs: ['The processor processes data only on documented instructions of the controller. Everyone involved in processing is bound to confidentiality.'],
    },
    {
      title: '4. Technical and organisational measures',
      paragraphs: [
        'End-to-end encryption (XChaCha20-Poly1305, X25519, AES-256-GCM), memory-hard password derivation (Argon2id), login only from approved devices, limits on login attempts, transport encryption, logs without content data.',
      ],
    },
    {
      title: '5. Sub-processors',
      paragraphs: ['Sub-processors may be used to send e-mail and SMS. They receive only the data needed for each message; the controller is informed of changes.'],
    },
    {
      title: '6. Deletion',
      paragraphs: [
        "After the contract ends, all of the controller's data is deleted irrevocably. Connection data of video consultations is deleted after three months at the latest (KBV Annex 31b).",
      ],
    },
  ],
};

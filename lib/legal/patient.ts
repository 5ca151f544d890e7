// Terms of use and privacy notice for patients who join a video consultation
// without an account. Readable without login at /nutzungsbedingungen and /datenschutz.
type Section = { title: string; paragraphs: string[] };

export const TERMS_SECTIONS: Record<'de' | 'en', Section[]> = {
  de: [
    {
      title: '1. Worum es geht',
      paragraphs: [
        'Konsil stellt Ihrer Arztpraxis eine Videosprechstunde zur Verfügung. Sie nehmen ohne Benutzerkonto teil: mit dem Link oder dem Zugangscode, den Ihnen die Praxis gegeben hat. Vertragspartner für Ihre Behandlung bleibt allein Ihre Praxis.',
      ],
    },
    {
      title: '2. Voraussetzungen',
      paragraphs: [
        'Sie benötigen einen aktuellen Browser (Chrome, Edge, Firefox oder Safari) mit Kamera und Mikrofon sowie eine stabile Internetverbindung. Bitte führen Sie das Gespräch in einem geschlossenen Raum, in dem Sie niemand ungewollt hört.',
        'Vor dem Betreten des Warteraums prüfen Sie Kamera und Mikrofon und stimmen der Videosprechstunde zu. Die Praxis bittet Sie anschließend herein.',
      ],
    },
    {
      title: '3. Keine Aufzeichnung',
      paragraphs: [
        'Die Videosprechstunde wird von niemandem aufgezeichnet: weder von Konsil noch von der Praxis. Auch Sie dürfen das Gespräch nicht aufzeichnen (§ 201 StGB). Konsil enthält keine Aufzeichnungsfunktion und keine Werbung.',
      ],
    },
    {
      title: '4. Ihr Zugangscode',
      paragraphs: [
        'Der Zugangscode gilt nur für Ihren Termin. Geben Sie ihn nicht weiter. Wer den Code kennt, kann an Ihrer Stelle den Warteraum betreten; hereingebeten wird nur, wen die Praxis hereinbittet.',
      ],
    },
    {
      title: '5. Verfügbarkeit',
      paragraphs: [
        'Wir bemühen uns um einen störungsfreien Betrieb, können ihn aber nicht garantieren. Bricht die Verbindung ab, wird sie automatisch wiederhergestellt; gelingt das nicht, melden Sie sich bitte erneut mit Ihrem Code an oder rufen Sie Ihre Praxis an.',
      ],
    },
  ],
  en: [
    {
      title: '1. What this is',
      paragraphs: [
        'Konsil provides your medical practice with a video consultation. You take part without an account, with the link or access code the practice gave you. Your treatment contract remains with your practice alone.',
      ],
    },
    {
      title: '2. What you need',
      paragraphs: [
        'A current browser (Chrome, Edge, Firefox or Safari) with camera and microphone and a stable internet connection. Please hold the consultation in a closed room where nobody overhears you.',
        'Before entering the waiting room you check camera and microphone and agree to the video consultation. The practice then admits you.',
      ],
    },
    {
      title: '3. No recording',
      paragraphs: [
        'Nobody records the video consultation: neither Konsil nor the practice. You may not record it either (§ 201 StGB). Konsil has no recording feature and no advertising.',
      ],
    },
    {
      title: '4. Your access code',
      paragraphs: [
        'The access code is valid for your appointment only. Do not pass it on. Whoever knows the code can enter the waiting room in your place; only those the practice admits are let in.',
      ],
    },
    {
      title: '5. Availability',
      paragraphs: [
        'We aim for uninterrupted service but cannot guarantee it. If the connection drops it is re-established automatically; if that fails, please join again with your code or call your practice.',
      ],
    },
  ],
};

export const PRIVACY_SECTIONS: Record<'de' | 'en', Section[]> = {
  de: [
    {
      title: '1. Verantwortliche Stelle',
      paragraphs: [
        'Verantwortlich für die Verarbeitung Ihrer Daten im Rahmen der Behandlung ist Ihre Arztpraxis. Konsil verarbeitet Daten im Auftrag der Praxis (Art. 28 DSGVO).',
      ],
    },
    {
      title: '2. Ende-zu-Ende-Verschlüsselung',
      paragraphs: [
        'Ihr Name, Ihre Kontaktdaten und Notizen zu Ihrem Termin werden im Browser der Praxis verschlüsselt, bevor sie unseren Server erreichen. Unser Server kann sie nicht lesen.',
        'Bild und Ton gehen direkt zwischen Ihrem Browser und dem der Praxis (Peer-to-Peer, verschlüsselt mit DTLS-SRTP). Nur wenn eine direkte Verbindung nicht möglich ist, leitet ein Relay-Server (TURN) die bereits verschlüsselten Daten weiter, ohne sie entschlüsseln zu können. Die Nachrichten zum Verbindungsaufbau sind mit einem Schlüssel aus Ihrem Zugangscode geschützt, den unser Server nicht kennt.',
      ],
    },
    {
      title: '3. Was unser Server verarbeitet',
      paragraphs: [
        'Zeitpunkt und Dauer des Termins, ob jemand im Warteraum ist, Beginn und Ende des Gesprächs sowie technische Verbindungsdaten (IP-Adresse, Browser). Diese Daten enthalten keine Angaben zu Ihrer Person oder Gesundheit.',
        'Gesprächsdaten (wann, wie lange) werden nach spätestens drei Monaten gelöscht (Anlage 31b BMV-Ä); für Statistiken bleiben nur monatliche Summen ohne Personenbezug.',
        'Lässt die Praxis Ihnen die Einladung oder eine Erinnerung per E-Mail oder SMS von Konsil senden, wird Ihre Adresse bzw. Nummer nur für diesen Versand verwendet: bis dahin verschlüsselt gespeichert und danach gelöscht.',
      ],
    },
    {
      title: '4. Ihre Rechte',
      paragraphs: [
        'Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch sowie das Recht auf Beschwerde bei einer Datenschutzaufsichtsbehörde. Wenden Sie sich dazu an Ihre Praxis.',
      ],
    },
  ],
  en: [
    {
      title: '1. Controller',
      paragraphs: [
        'Your medical practice is the controller of your data in the course of your treatment. Konsil processes data on behalf of the practice (Art. 28 GDPR).',
      ],
    },
    {
      title: '2. End-to-end encryption',
      paragraphs: [
        "Your name, contact details and notes on your appointment are encrypted in the practice's browser before they reach our server. Our server cannot read them.",
        "Picture and sound travel directly between your browser and the practice's (peer to peer, encrypted with DTLS-SRTP). Only where a direct connection is impossible does a relay server (TURN) forward the already encrypted data without being able to decrypt it. The messages that set up the connection are protected with a key from your access code, which our server does not know.",
      ],
    },
    {
      title: '3. What our server processes',
      paragraphs: [
        'Time and length of the appointment, whether someone is in the waiting room, start and end of the call, and technical connection data (IP address, browser). None of this says anything about you or your health.',
        'Call data (when, how long) is deleted after three months at most (Annex 31b BMV-Ä); statistics keep only monthly totals that identify nobody.',
        'If the practice has Konsil send you the invitation or a reminder by e-mail or SMS, your address or number is used for that send only: kept encrypted until then and deleted afterwards.',
      ],
    },
    {
      title: '4. Your rights',
      paragraphs: [
        'You have the right of access, rectification, erasure, restriction and objection, and the right to lodge a complaint with a data protection authority. Please contact your practice.',
      ],
    },
  ],
};

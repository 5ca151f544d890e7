// Opening studies in the browser: the study key from the mailbox key this
// member holds, the manifest, the sender's signature checked against the
// organisation's pin of the sender (pinned on first receipt), and receipts —
// signed here for what arrived, checked here for what was sent. The server
// serves the sender's keys as kept at registration (the study outlives its
// sender); they are trusted only as far as they match the pin.
import { CryptoError, type X25519PrivateKey } from '@/lib/crypto/types';
import type { UnlockedKeys } from '@/lib/protocol/account';
import { assertStudySigned, openManifest, openStudyKey, receiptValid, signReceipt, type ReceiptKind, type StudyKey, type StudyManifest } from '@/lib/protocol/studies';
import type { PartnerKeys } from '@/lib/protocol/directory';
import type { TStudyView } from '@/lib/studies/views';
import { api, type Json } from '../api';
import { ownPartnerKeys, pinPartner, servedPartnerTrust } from '../partners';
import type { OpenedMailbox } from '../mailboxes';

export type StudyView = Json<TStudyView>;
export type OpenedStudy = { view: StudyView; studyKey: StudyKey; manifest: StudyManifest; delivered: boolean; opened: boolean };

export const loadStudies = (box: 'inbox' | 'sent') => api<{ studies: StudyView[] }>(`/api/studies?box=${box}`).then((r) => r.studies);

/**
 * The partner's keys as this organisation trusts them: its own from the keys
 * this tab holds; a partner's as pinned — pinned now if this is the first
 * exchange, refused (partner_key_changed) if the server serves other ones.
 * A sender already deleted on a first exchange is trusted on first use as any
 * other, but not pinned: the server keeps no pin of an organisation it no
 * longer has.
 */
async function trustedKeys(keys: UnlockedKeys, served: PartnerKeys, pinIfNew: boolean): Promise<PartnerKeys> {
  if (served.orgId === keys.orgId) {
    const own = ownPartnerKeys(keys);
    if (!own) throw new CryptoError('key_signature_invalid', 'the organisation keys are not held');
    return own;
  }
  const trust = await servedPartnerTrust(keys, served);
  if (trust.state === 'changed') throw new CryptoError('partner_key_changed', 'the partner keys differ from the pinned ones');
  if (trust.state === 'new') {
    if (pinIfNew) await pinPartner(keys, served, false);
    return served;
  }
  return trust.pin;
}

const partnerOf = (p: StudyView['sender'] | StudyView['recipient']): PartnerKeys => ({ orgId: p.orgId, publicKey: p.publicKey, signPublic: p.signPublic });

function privateKeyFor(mailboxes: OpenedMailbox[], mailboxId: string | null, version: number): X25519PrivateKey {
  const priv = mailboxes.find((m) => m.view.id === mailboxId)?.privateKeys.get(version);
  if (!priv) throw new CryptoError('study_invalid', 'this member holds no key of that mailbox version');
  return priv;
}

function receiptOk(view: StudyView, kind: ReceiptKind, recipientSignPublic: string | null): boolean {
  const r = kind === 'delivered' ? view.delivered : view.opened;
  if (!r || !recipientSignPublic) return false;
  return receiptValid({ recipientOrgSignPublic: recipientSignPublic, receipt: { studyId: view.id, kind, orgId: view.recipient.orgId, userId: r.by?.userId ?? '', at: r.at }, signature: r.signature, signer: r.by });
}

/**
 * Opens a study for display: refuses (study_invalid, study_signature_invalid,
 * partner_key_changed) anything the sender did not send exactly so. Receipts
 * count only when a certified member of the recipient signed them.
 */
export async function openStudy(keys: UnlockedKeys, mailboxes: OpenedMailbox[], view: StudyView): Promise<OpenedStudy> {
  const inbox = view.box === 'inbox';
  const studyKey = inbox
    ? openStudyKey(privateKeyFor(mailboxes, view.recipient.mailboxId, view.recipient.version), view.id, { orgId: view.recipient.orgId, mailboxId: view.recipient.mailboxId, version: view.recipient.version }, view.keyForRecipient)
    : openStudyKey(privateKeyFor(mailboxes, view.sender.mailboxId, view.sender.version), view.id, { orgId: view.sender.orgId, mailboxId: view.sender.mailboxId ?? '', version: view.sender.version }, view.keyForSender);
  const sender = inbox ? await trustedKeys(keys, partnerOf(view.sender), !view.sender.gone) : ownPartnerKeys(keys);
  const recipient = inbox ? ownPartnerKeys(keys) : await trustedKeys(keys, partnerOf(view.recipient), false);
  if (!sender?.signPublic) throw new CryptoError('study_signature_invalid', 'the sending organisation has no signing key');
  assertStudySigned({
    senderOrgSignPublic: sender.signPublic,
    signature: view.signature,
    sender: view.sender.user,
    statement: {
      studyId: view.id,
      sender: { orgId: view.sender.orgId, userId: view.sender.user?.userId ?? '', mailboxId: view.sender.mailboxId ?? '' },
      recipient: { orgId: view.recipient.orgId, mailboxId: view.recipient.mailboxId, version: view.recipient.version },
      manifestEnc: view.manifestEnc,
      keyForRecipient: view.keyForRecipient,
      keyForSender: view.keyForSender,
      files: view.fileCount,
    },
  });
  const manifest = openManifest(studyKey, view.recipient.orgId, view.id, view.manifestEnc);
  if (manifest.files.length !== view.fileCount) throw new CryptoError('study_invalid', 'the manifest lists other files');
  const signPublic = recipient?.signPublic ?? null;
  return { view, studyKey, manifest, delivered: receiptOk(view, 'delivered', signPublic), opened: receiptOk(view, 'opened', signPublic) };
}

/** Signs and files a receipt for a received study (once per kind; the server keeps the first). */
export async function sendReceipt(keys: UnlockedKeys, study: OpenedStudy, kind: ReceiptKind): Promise<void> {
  if (study.view.box !== 'inbox' || (kind === 'delivered' ? study.view.delivered : study.view.opened)) return;
  const at = new Date().toISOString();
  const signature = signReceipt(keys.ed25519Private, { studyId: study.view.id, kind, orgId: keys.orgId, userId: keys.userId, at });
  await api(`/api/studies/${study.view.id}/receipts`, { body: { kind, at, signature } });
}

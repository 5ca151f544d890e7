// Brands exist only at compile time: they stop, say, a FileKey from being
// passed where a UserKey is expected, at zero runtime cost.
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type PasswordKey = Brand<Uint8Array, 'PasswordKey'>;
export type MasterKey = Brand<Uint8Array, 'MasterKey'>;
export type AuthKey = Brand<Uint8Array, 'AuthKey'>;
export type RecoveryAuthKey = Brand<Uint8Array, 'RecoveryAuthKey'>;
export type PasswordWrapKey = Brand<Uint8Array, 'PasswordWrapKey'>;
export type MasterWrapKey = Brand<Uint8Array, 'MasterWrapKey'>;
export type UserKey = Brand<Uint8Array, 'UserKey'>;
export type OrgKey = Brand<Uint8Array, 'OrgKey'>;
export type FileKey = Brand<Uint8Array, 'FileKey'>;
export type X25519PrivateKey = Brand<Uint8Array, 'X25519PrivateKey'>;
export type X25519PublicKey = Brand<Uint8Array, 'X25519PublicKey'>;
export type Ed25519PrivateKey = Brand<Uint8Array, 'Ed25519PrivateKey'>;
export type Ed25519PublicKey = Brand<Uint8Array, 'Ed25519PublicKey'>;

export type SymmetricKey = UserKey | OrgKey | PasswordWrapKey | MasterWrapKey | FileKey;

export type CryptoErrorCode =
  | 'decrypt_failed'
  | 'bad_format'
  | 'bad_params'
  | 'stream_truncated'
  | 'stream_corrupt'
  // A key the server served is not the one this account pinned (lib/protocol/trust.ts).
  | 'org_key_changed'
  // A member's keys as the server served them fail the invitation's proof.
  | 'member_keys_unproven'
  // The server named an account this browser holds no device key for.
  | 'account_not_on_device'
  // A sealed key without a valid signature of a certified member (lib/protocol/signing.ts).
  | 'key_signature_invalid'
  // A stored partner pin that does not open or that no certified member signed (lib/protocol/directory.ts).
  | 'partner_pin_invalid'
  // A study whose key or manifest does not open where it claims to live (lib/protocol/studies.ts).
  | 'study_invalid'
  // A study no certified member of the sending organisation signed as it is.
  | 'study_signature_invalid'
  // A decrypted study file whose SHA-256 is not the one its manifest lists.
  | 'study_file_mismatch'
  // A partner whose keys differ from the ones this organisation pinned: nothing is sent or opened until compared.
  | 'partner_key_changed';

// Callers branch on `code`, never on the message, so messages can stay
// deliberately vague and never echo secret material.
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.name = 'CryptoError';
    this.code = code;
    // Keeps `instanceof` reliable when the class is down-levelled.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

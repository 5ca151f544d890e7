// What a device key signs (docs/SECURITY.md §3.2, §3.4): at login, and when a new
// device asks to be let in. Pure and isomorphic: the browser signs it, the
// server rebuilds it to verify the signature.

/** login: a device signing in; device: a new device asking for approval. */
export type DeviceSigningPurpose = 'login' | 'device';

/**
 * Bound to the challenge, the account and the device itself. The short names
 * are the normalised ones (normalizeShortName), so the browser and the server
 * build the same message from whatever was typed.
 */
export function loginSigningMessage(args: {
  purpose: DeviceSigningPurpose;
  challenge: string;
  orgShortName: string;
  userShortName: string;
  deviceId: string;
}): string {
  return ['konsil-v1', args.purpose, args.challenge, args.orgShortName, args.userShortName, args.deviceId].join('\n');
}

// Error codes the client may see. Each has a translation under "errors.<code>".
export const ERROR_STATUS = {
  bad_request: 400,
  payload_too_large: 413,
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  login_failed: 401,
  recover_failed: 401,
  current_password_wrong: 401,
  locked: 429,
  session_locked: 423,
  rate_limited: 429,
  quota_exceeded: 429,
  sending_paused: 503,
  messaging_not_allowed: 403,
  confirmation_invalid: 410,
  email_unconfirmed: 403,
  challenge_invalid: 400,
  device_not_approved: 403,
  device_revoked: 403,
  device_unknown: 403,
  member_pending: 403,
  short_name_taken: 409,
  user_short_name_taken: 409,
  invitation_invalid: 410,
  plan_required: 403,
  last_admin_device: 409,
  smtp_password_missing: 409,
  smtp_incomplete: 409,
  sms_not_configured: 409,
  code_unknown: 404,
  appointment_cancelled: 410,
  appointment_past: 410,
  appointment_early: 409,
  room_occupied: 409,
  // Conferences: the mesh holds four; the conference was ended or cancelled; the host removed this guest.
  conference_full: 409,
  conference_ended: 410,
  conference_removed: 403,
  call_token_invalid: 401,
  holder_invalid: 422,
  contract_cancelled: 409,
  contract_not_cancelled: 409,
  contract_ended: 410,
  plan_unchanged: 409,
  mailbox_name_taken: 409,
  // A mailbox change that would leave someone with access without a key to a version.
  mailbox_grants_incomplete: 422,
  // Studies: the plan's studies per month are used up; the recipient mailbox has no room; a mailbox got a new key since the browser read it.
  studies_month_limit: 403,
  mailbox_full: 409,
  study_key_outdated: 409,
  // Raised by the browser: an organisation without a signing key cannot certify members.
  org_signing_key_missing: 409,
  // Conferences: this server has no LiveKit settings; a LiveKit webhook that is unsigned, forged, stale or replayed.
  livekit_not_configured: 503,
  webhook_invalid: 401,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorBody = {
  error: { code: ErrorCode; fields?: Record<string, string>; retryAfterSeconds?: number; detail?: string };
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly retryAfterSeconds?: number;
  readonly detail?: string;
  constructor(code: ErrorCode, opts: { fields?: Record<string, string>; retryAfterSeconds?: number; detail?: string } = {}) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.fields = opts.fields;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.detail = opts.detail;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
        ...(this.detail ? { detail: this.detail } : {}),
      },
    };
  }
}

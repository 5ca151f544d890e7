import { describe, expect, it } from 'vitest';
import { loginSigningMessage } from './login';

describe('the message a device signs', () => {
  // Browser and server build it apart; these bytes are what both must agree on.
  it.each([
    ['login', 'konsil-v1\nlogin\nchallenge-1\npraxis-linde\nanna\n5d1c8c9e-0b7e-4f7a-9f43-2d3c4b5a6e7f'],
    ['device', 'konsil-v1\ndevice\nchallenge-1\npraxis-linde\nanna\n5d1c8c9e-0b7e-4f7a-9f43-2d3c4b5a6e7f'],
  ] as const)('for %s is purpose, challenge, account and device, one a line', (purpose, expected) => {
    const message = loginSigningMessage({ purpose, challenge: 'challenge-1', orgShortName: 'praxis-linde', userShortName: 'anna', deviceId: '5d1c8c9e-0b7e-4f7a-9f43-2d3c4b5a6e7f' });
    expect(message).toBe(expected);
  });
});

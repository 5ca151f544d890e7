import { describe, expect, it } from 'vitest';
import { livekitConnectSources } from './csp';

describe('livekitConnectSources', () => {
  it('allows the LiveKit server’s WebSocket and HTTP origin, secure or not as configured', () => {
    expect(livekitConnectSources('wss://lk.example.org')).toEqual(['wss://lk.example.org', 'https://lk.example.org']);
    expect(livekitConnectSources('https://lk.example.org:7443/some/path?x=1')).toEqual(['wss://lk.example.org:7443', 'https://lk.example.org:7443']);
    expect(livekitConnectSources('ws://127.0.0.1:7880')).toEqual(['ws://127.0.0.1:7880', 'http://127.0.0.1:7880']);
  });

  it('adds nothing without a LiveKit server or for a URL that is not one', () => {
    expect(livekitConnectSources(undefined)).toEqual([]);
    expect(livekitConnectSources('')).toEqual([]);
    expect(livekitConnectSources('not a url')).toEqual([]);
    expect(livekitConnectSources('javascript:alert(1)')).toEqual([]);
    expect(livekitConnectSources("wss://a.example.org; script-src 'unsafe-inline'")).toEqual([]);
  });
});

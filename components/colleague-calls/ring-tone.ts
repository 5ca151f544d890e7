// The ring tone of an incoming call: Web Audio, no file. Two short tones every
// two seconds until stopped; silent where the browser has no audio output or
// has not yet been allowed to play (no user gesture on this page yet).
export function startRingTone(): () => void {
  let ctx: AudioContext | null = null;
  try {
    ctx = new AudioContext();
  } catch {
    return () => {};
  }
  const audio = ctx;
  const ring = () => {
    const at = audio.currentTime;
    for (const [i, f] of [880, 988, 880, 988].entries()) {
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = f;
      const t = at + i * 0.12;
      g.gain.setValueAtTime(0.0001, t);
      g.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + 0.11);
      o.connect(g).connect(audio.destination);
      o.start(t);
      o.stop(t + 0.12);
    }
  };
  ring();
  const timer = setInterval(ring, 2000);
  return () => {
    clearInterval(timer);
    void audio.close().catch(() => {});
  };
}

/** Asks for permission to show notifications, only from a click (browsers ignore or punish other asks). */
export function askNotificationsOnGesture(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => {});
}

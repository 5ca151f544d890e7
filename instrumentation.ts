// Runs once when the server process starts (never during `next build`).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerAddress } = await import('./lib/server/peer-address');
  installPeerAddress();
  const { boot } = await import('./lib/boot');
  await boot();
}

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { acquireDataDirLock, DataDirLockedError } from './lock';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-lock-'));

describe('data folder lock', () => {
  it('refuses a second process while the first is alive, with a clear message', async () => {
    const dir = tmp();
    // A real second process holds the lock file, as a running server would.
    const holder = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'konsil.lock'))}, String(process.pid)); setInterval(() => {}, 1000)`]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(/already in use by process \d+/);
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left behind by a dead process and releases it', async () => {
    const dir = tmp();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    fs.writeFileSync(path.join(dir, 'konsil.lock'), String(dead.pid));
    const release = acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, 'konsil.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'konsil.lock'))).toBe(false);
  });
});

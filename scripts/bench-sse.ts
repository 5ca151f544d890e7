// npm run bench:sse — how many waiting-room event streams (GET /api/calls/stream)
// one instance holds without errors, and how fast an event reaches all of
// them; writes the "Waiting-room connections" section of docs/PERFORMANCE.md.
//
// Needs the production build (`npm run build`) and PostgreSQL on
// 127.0.0.1:5432 (trust auth, or KONSIL_TEST_PG). Starts its own `next start`
// on a free port against a fresh database (dropped afterwards), with the
// open-file limit raised to the hard limit for both processes.
//
// Load: appointments made through the API; participants inserted directly in
// call_participants with known tokens (token_hash = SHA-256 hex), 100 waiting
// patients and one host per appointment (the one-patient rule lives only in
// the enter path). Streams are opened from this process with node:http
// (keep-alive agent, header X-Call-Token) in steps; each step is held while
// the server's 20 s heartbeats run, then two events go to every appointment:
//   - a sealed-looking signal POSTed with the host's token: each receiving
//     stream reads it from signal_messages (one query per stream), and
//   - an admission (POST /api/calls/admit): a presence event sent to every
//     stream of the room without a query.
// Every stream must receive both; anything else — a non-200, a socket error, a
// stream the server ends, a missed heartbeat, an event not delivered within
// the timeout — counts as an error.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { request as pwRequest } from '@playwright/test';
import { anyFreePort, createDatabase, machineInfo, median, percentile, rssMiB, startApp, logProblems, writePerformanceSection, type AppServer } from './lib/app-server';
import { createAppointmentViaApi } from './lib/appointments';
import { registerOrgViaApi } from './lib/register';

const STEPS = (process.env.BENCH_SSE_STEPS ?? '1,500,1000,2000,3000,4000,6000,8000').split(',').map(Number);
const HOLD_MS = Number(process.env.BENCH_SSE_HOLD_MS ?? 25_000);
const PER_APPOINTMENT = 100;
const OPEN_CONCURRENCY = Number(process.env.BENCH_SSE_OPEN_CONCURRENCY ?? 200);
const DELIVERY_TIMEOUT_MS = 60_000;
const HEARTBEAT_MS = 20_000;
const GOAL = 2000;

// --- open-file limit ----------------------------------------------------------

function nofile(): { soft: number; hard: number } {
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  const n = (s: string | undefined) => (s === 'unlimited' || !s ? Infinity : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

/** Node cannot raise its own limit: run again under `ulimit -n <hard>` if the soft limit is lower. */
function reexecWithHigherLimit(): boolean {
  const { soft, hard } = nofile();
  const want = Math.max(...STEPS) + 1000;
  if (soft >= want || soft >= hard || process.env.BENCH_SSE_REEXEC) return false;
  const child = spawn('bash', ['-c', `ulimit -n ${hard === Infinity ? 1048576 : hard} && exec "$0" "$@"`, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_SSE_REEXEC: '1' },
  });
  child.on('exit', (code) => process.exit(code ?? 1));
  return true;
}

// --- SSE client -----------------------------------------------------------------

type Conn = {
  i: number;
  appt: number;
  token: string;
  req?: http.ClientRequest;
  openedAt: number;
  stateAt?: number;
  lastPingAt?: number;
  pings: number;
  signals: Map<string, number>; // payload → arrival time
  participants: Map<string, number>; // participantId:state → arrival time
  closed: boolean;
  error?: string;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 16 });

function open(base: URL, c: Conn, onError: (c: Conn, why: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    c.openedAt = performance.now();
    const req = http.request(
      { host: base.hostname, port: base.port, path: '/api/calls/stream', method: 'GET', agent, headers: { accept: 'text/event-stream', 'x-call-token': c.token } },
      (res) => {
        if (res.statusCode !== 200) {
          onError(c, `HTTP ${res.statusCode}`);
          res.resume();
          settle();
          return;
        }
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          buf += chunk;
          let idx: number;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (!data.length) continue;
            const now = performance.now();
            if (event === 'state') {
              c.stateAt ??= now;
              settle();
            } else if (event === 'ping') {
              c.pings++;
              c.lastPingAt = now;
            } else if (event === 'signal') {
              c.signals.set(data.join('\n'), now);
            } else if (event === 'participant') {
              const e = JSON.parse(data.join('\n')) as { participantId: string; state: string };
              c.participants.set(`${e.participantId}:${e.state}`, now);
            }
          }
        });
        res.on('end', () => {
          if (!c.closed) onError(c, 'stream ended by the server');
          settle();
        });
        res.on('error', (e) => {
          if (!c.closed) onError(c, `response: ${e.message}`);
          settle();
        });
      },
    );
    req.on('error', (e) => {
      if (!c.closed) onError(c, `request: ${e.message}`);
      settle();
    });
    req.end();
    c.req = req;
  });
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function post(base: URL, pathname: string, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: base.hostname, port: base.port, path: pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), 'x-call-token': token } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** RSS of the server and any processes it started, in MiB. */
function rssTree(pid: number): number {
  let total = rssMiB(pid) ?? 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) total += rssMiB(Number(d)) ?? 0;
    } catch {
      // exited
    }
  }
  return total;
}

/** CPU seconds (user + system) the server process has used. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

type StepResult = {
  n: number;
  openMs: number;
  stateP50: number;
  stateP99: number;
  errors: number;
  errorKinds: Record<string, number>;
  missedHeartbeats: number;
  touched: number;
  rssMiB: number;
  cpuPct: number;
  signal: { all: number; p50: number; p99: number; missing: number };
  presence: { all: number; p50: number; p99: number; missing: number };
};

async function main() {
  if (reexecWithHigherLimit()) return;
  const limits = nofile();
  const maxN = Math.max(...STEPS);
  const appointments = Math.ceil(maxN / PER_APPOINTMENT);
  // The machine may be shared: its load before the run goes into the report.
  const loadBefore = os.loadavg()[0]!;
  const db = await createDatabase('konsil_bench_sse');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-bench-sse-'));
  const logFile = path.join(os.tmpdir(), `konsil-bench-sse-${Date.now()}.log`);
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  let app: AppServer | undefined;
  let ok = false;
  const conns: Conn[] = [];
  try {
    const port = await anyFreePort();
    console.log(`database ${db.name}; server log ${logFile}; open files: client ${limits.soft}/${limits.hard}`);
    app = await startApp({
      port,
      logFile,
      label: 'bench:sse',
      nofile: 1_048_576, // capped at the hard limit by startApp's fallback
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        AUTH_SECRET: `bench-${randomBytes(12).toString('hex')}-0123456789abcdefghijklmnop`,
        APP_URL: `http://127.0.0.1:${port}`,
        KONSIL_DATA_DIR: dataDir,
        KONSIL_OUTBOX_WORKER: 'off',
      },
    });
    const serverLimits = /Max open files\s+(\d+)/.exec(fs.readFileSync(`/proc/${app.pid}/limits`, 'utf8'))?.[1];
    console.log(`server pid ${app.pid}, open files ${serverLimits}, RSS ${rssTree(app.pid).toFixed(0)} MiB`);
    const base = new URL(app.url);

    // Appointments through the API (sealed records, as the browser makes them), participants straight into the table.
    const req = await pwRequest.newContext({ baseURL: app.url });
    const account = await registerOrgViaApi(req);
    const appts: { id: string; hostToken: string; patients: { id: string; token: string }[] }[] = [];
    for (let a = 0; a < appointments; a++) {
      const { id } = await createAppointmentViaApi(req, account, { patientName: `Bench ${a}`, birthDate: '', phone: '', email: '', note: '' }, { durationMin: 480 });
      appts.push({ id, hostToken: randomBytes(32).toString('base64url'), patients: [] });
    }
    await req.dispose();
    const hash = (t: string) => createHash('sha256').update(t).digest('hex');
    for (const a of appts) {
      // last_seen_at in the past, so a recent one can only come from the server's heartbeat.
      const longAgo = new Date(Date.now() - 3600_000);
      const rows = [{ appointment_id: a.id, org_id: account.orgId, role: 'host', token_hash: hash(a.hostToken), state: 'admitted', last_seen_at: longAgo }];
      for (let k = 0; k < PER_APPOINTMENT; k++) {
        const token = randomBytes(32).toString('base64url');
        a.patients.push({ id: '', token });
        rows.push({ appointment_id: a.id, org_id: account.orgId, role: 'patient', token_hash: hash(token), state: 'waiting', last_seen_at: longAgo });
      }
      const ids = await sql<{ id: string; token_hash: string }[]>`insert into call_participants ${sql(rows)} returning id, token_hash`;
      const byHash = new Map(ids.map((r) => [r.token_hash, r.id]));
      for (const p of a.patients) p.id = byHash.get(hash(p.token))!;
    }
    // Patients in connection order: round-robin over appointments, so every step touches every room it can.
    const order: { appt: number; token: string; id: string }[] = [];
    for (let k = 0; k < PER_APPOINTMENT; k++) for (let a = 0; a < appts.length; a++) order.push({ appt: a, ...appts[a]!.patients[k]! });

    const errors: { c: Conn; why: string }[] = [];
    const onError = (c: Conn, why: string) => {
      if (c.error) return;
      c.error = why;
      errors.push({ c, why });
    };
    const results: StepResult[] = [];
    let admitIndex = 0;

    for (const n of STEPS) {
      const errorsBefore = errors.length;
      const fresh: Conn[] = [];
      for (let i = conns.length; i < n; i++) {
        const o = order[i]!;
        const c: Conn = { i, appt: o.appt, token: o.token, openedAt: 0, pings: 0, signals: new Map(), participants: new Map(), closed: false };
        conns.push(c);
        fresh.push(c);
      }
      const t0 = performance.now();
      await pool(fresh, OPEN_CONCURRENCY, (c) => open(base, c, onError));
      const openMs = performance.now() - t0;
      const toState = fresh.filter((c) => c.stateAt).map((c) => c.stateAt! - c.openedAt).sort((x, y) => x - y);
      console.log(`${n} streams: ${fresh.length} opened in ${(openMs / 1000).toFixed(1)} s (time to first event p50 ${Math.round(percentile(toState, 50))} ms, p99 ${Math.round(percentile(toState, 99))} ms); holding ${HOLD_MS / 1000} s`);

      // Hold while the heartbeats run; sample the server.
      const cpu0 = cpuSeconds(app.pid);
      const h0 = performance.now();
      await new Promise((r) => setTimeout(r, HOLD_MS));
      const cpuPct = ((cpuSeconds(app.pid) - cpu0) / ((performance.now() - h0) / 1000)) * 100;
      const now = performance.now();
      // A stream older than a heartbeat plus slack must have had a ping within the last heartbeat plus slack.
      const missedHeartbeats = conns.filter((c) => !c.error && now - c.openedAt > HEARTBEAT_MS + 3000 && now - (c.lastPingAt ?? c.openedAt) > HEARTBEAT_MS + 3000).length;
      // Each heartbeat also touches the participant's row; rows touched within the last heartbeat period (+ slack):
      const [{ touched }] = await sql<{ touched: number }[]>`select count(*)::int as touched from call_participants where role = 'patient' and last_seen_at > now() - ${`${(HEARTBEAT_MS + 3000) / 1000} seconds`}::interval`;
      const rss = rssTree(app.pid);

      // Fan-out 1: a signal to every appointment with streams.
      const rooms = [...new Set(conns.map((c) => c.appt))];
      const marker = `s${n}`;
      const sentAt = new Map<number, number>();
      const sigStart = performance.now();
      await pool(rooms, 50, async (a) => {
        sentAt.set(a, performance.now());
        const payload = `v1.${marker}.${a}`;
        const status = await post(base, '/api/calls/signal', appts[a]!.hostToken, { payload });
        if (status !== 200) throw new Error(`signal POST: HTTP ${status}`);
      });
      const live = () => conns.filter((c) => !c.error);
      const waitAll = async (has: (c: Conn) => boolean) => {
        const until = performance.now() + DELIVERY_TIMEOUT_MS;
        while (performance.now() < until && !live().every(has)) await new Promise((r) => setTimeout(r, 20));
      };
      await waitAll((c) => c.signals.has(`v1.${marker}.${c.appt}`));
      const sigLat = live()
        .filter((c) => c.signals.has(`v1.${marker}.${c.appt}`))
        .map((c) => c.signals.get(`v1.${marker}.${c.appt}`)! - sentAt.get(c.appt)!)
        .sort((x, y) => x - y);
      const sigAll = Math.max(...live().map((c) => c.signals.get(`v1.${marker}.${c.appt}`) ?? NaN)) - sigStart;
      const sigMissing = live().filter((c) => !c.signals.has(`v1.${marker}.${c.appt}`)).length;

      // Fan-out 2: an admission in every appointment (a presence event, no query per stream).
      const admitted = new Map<number, string>();
      const admAt = new Map<number, number>();
      const admStart = performance.now();
      await pool(rooms, 50, async (a) => {
        const pid = appts[a]!.patients[PER_APPOINTMENT - 1 - (admitIndex % PER_APPOINTMENT)]!.id;
        admitted.set(a, pid);
        admAt.set(a, performance.now());
        const status = await post(base, '/api/calls/admit', appts[a]!.hostToken, { participantId: pid });
        if (status !== 200) throw new Error(`admit POST: HTTP ${status}`);
      });
      admitIndex++;
      const key = (c: Conn) => `${admitted.get(c.appt)}:admitted`;
      await waitAll((c) => c.participants.has(key(c)));
      const admLat = live()
        .filter((c) => c.participants.has(key(c)))
        .map((c) => c.participants.get(key(c))! - admAt.get(c.appt)!)
        .sort((x, y) => x - y);
      const admAll = Math.max(...live().map((c) => c.participants.get(key(c)) ?? NaN)) - admStart;
      const admMissing = live().filter((c) => !c.participants.has(key(c))).length;

      const stepErrors = errors.slice(errorsBefore);
      const errorKinds: Record<string, number> = {};
      for (const e of stepErrors) errorKinds[e.why] = (errorKinds[e.why] ?? 0) + 1;
      const r: StepResult = {
        n,
        openMs,
        stateP50: percentile(toState, 50),
        stateP99: percentile(toState, 99),
        errors: stepErrors.length + missedHeartbeats + sigMissing + admMissing,
        errorKinds: {
          ...errorKinds,
          ...(missedHeartbeats ? { 'missed heartbeat': missedHeartbeats } : {}),
          ...(sigMissing ? { 'signal not delivered': sigMissing } : {}),
          ...(admMissing ? { 'admission not delivered': admMissing } : {}),
        },
        missedHeartbeats,
        touched,
        rssMiB: rss,
        cpuPct,
        signal: { all: sigAll, p50: percentile(sigLat, 50), p99: percentile(sigLat, 99), missing: sigMissing },
        presence: { all: admAll, p50: percentile(admLat, 50), p99: percentile(admLat, 99), missing: admMissing },
      };
      results.push(r);
      console.log(
        `  errors ${r.errors} ${JSON.stringify(r.errorKinds)}; rows touched ${touched}/${live().length}; RSS ${rss.toFixed(0)} MiB; CPU ${cpuPct.toFixed(0)} % while holding;` +
          ` signal to all in ${Math.round(sigAll)} ms (p50 ${Math.round(r.signal.p50)}, p99 ${Math.round(r.signal.p99)});` +
          ` admission to all in ${Math.round(admAll)} ms (p50 ${Math.round(r.presence.p50)}, p99 ${Math.round(r.presence.p99)})`,
      );
      if (r.errors) {
        console.log('  errors in this step: stopping the ramp here');
        break;
      }
    }

    // --- report ---------------------------------------------------------------
    const clean = results.filter((r) => r.errors === 0);
    const best = clean.length ? Math.max(...clean.map((r) => r.n)) : 0;
    const f = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '–');
    const machine = await machineInfo();
    const failed = results.find((r) => r.errors > 0);
    let body = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; one \`next start\` (production build) and PostgreSQL 15 on the same machine, the load generator (one Node process) too; 1-minute load average before the run ${loadBefore.toFixed(2)}. Open files: server ${serverLimits}, client ${limits.soft}. Goal: ≥ ${GOAL.toLocaleString('en')} streams without errors.`,
      '',
      `**Method.** ${appointments} appointments made through the API; ${PER_APPOINTMENT} waiting patients and one host per appointment inserted into \`call_participants\` with known tokens. Streams (\`GET /api/calls/stream\`, header \`X-Call-Token\`) opened with \`node:http\` (keep-alive agent), at most ${OPEN_CONCURRENCY} connecting at once, spread round-robin over the appointments, in steps of ${STEPS.join(' → ')}; each step held ${HOLD_MS / 1000} s while the server's ${HEARTBEAT_MS / 1000} s heartbeats (a ping event and an UPDATE of the participant's \`last_seen_at\`) run. Then one event to every appointment: a *signal* POSTed with the host's token (each receiving stream reads it from \`signal_messages\`: one query per stream) and an *admission* (\`POST /api/calls/admit\`; a presence event sent to every stream of the room with no query). Fan-out times are from the first POST to the last stream receiving it; p50/p99 per stream from its room's POST. Errors: non-200, socket errors, streams the server ends, a stream without a ping for over ${(HEARTBEAT_MS + 3000) / 1000} s, an event not delivered within ${DELIVERY_TIMEOUT_MS / 1000} s.`,
      '',
      '| streams | errors | open (step) | first event p50 / p99 | heartbeats landed¹ | server RSS | server CPU (hold) | signal to all (p50 / p99) | admission to all (p50 / p99) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map(
        (r) =>
          `| ${r.n.toLocaleString('en')} | ${r.errors}${r.errors ? ` (${Object.entries(r.errorKinds).map(([k, v]) => `${v} × ${k}`).join(', ')})` : ''} | ${(r.openMs / 1000).toFixed(1)} s | ${f(r.stateP50)} / ${f(r.stateP99)} | ${r.touched.toLocaleString('en')} | ${r.rssMiB.toFixed(0)} MiB | ${r.cpuPct.toFixed(0)} % | ${f(r.signal.all)} (${f(r.signal.p50)} / ${f(r.signal.p99)}) | ${f(r.presence.all)} (${f(r.presence.p50)} / ${f(r.presence.p99)}) |`,
      ),
      '',
      `¹ patient rows whose \`last_seen_at\` the heartbeat updated within the last ${(HEARTBEAT_MS + 3000) / 1000} s, at the end of the hold; equal to the number of streams when every heartbeat's UPDATE landed.`,
      '',
      ...(() => {
        const first = results[0]!;
        const last = clean.length ? clean[clean.length - 1]! : results[results.length - 1]!;
        const perStreamKiB = last.n > first.n ? ((last.rssMiB - first.rssMiB) * 1024) / (last.n - first.n) : NaN;
        const opened = results.filter((r) => r.n - (results[results.indexOf(r) - 1]?.n ?? 0) >= 100);
        const openRate = opened.length ? median(opened.map((r) => (r.n - (results[results.indexOf(r) - 1]?.n ?? 0)) / (r.openMs / 1000))) : NaN;
        return [
          '**Reading.**',
          '',
          `- Memory: about ${Math.round(perStreamKiB)} KiB of server RSS per open stream (growth from ${first.n.toLocaleString('en')} to ${last.n.toLocaleString('en')} streams).`,
          `- Opening: about ${Math.round(openRate)} streams/s with ${OPEN_CONCURRENCY} connecting at once (median over the steps). Each new stream costs five queries (token lookup, touch, room state ×2, pending signals) on the instance's pool of 10 connections, so a reconnect wave after a restart of an instance with ${last.n.toLocaleString('en')} streams takes about ${Math.round(last.n / openRate)} s to settle.`,
          `- Heartbeats: one UPDATE per stream every ${HEARTBEAT_MS / 1000} s — ${Math.round(last.n / (HEARTBEAT_MS / 1000))} per second at ${last.n.toLocaleString('en')} streams, at ${last.cpuPct.toFixed(0)} % server CPU while holding; ${last.touched === last.n ? 'every one landed' : `${last.touched.toLocaleString('en')} of ${last.n.toLocaleString('en')} rows were touched in time`}.`,
          `- Signals: each receiving stream reads the message with its own query, so fan-out to ${last.n.toLocaleString('en')} streams took ${(last.signal.all / 1000).toFixed(1)} s (≈ ${Math.round(last.n / (last.signal.all / 1000))} streams/s); an admission, sent without a query, ${(last.presence.all / 1000).toFixed(1)} s. In real rooms (one patient, one host) a message costs one query${first.n === 1 ? ' — the 1-stream row is that case' : ''}.`,
          '',
        ];
      })(),
      `Result: **${best.toLocaleString('en')}** concurrent streams without errors${failed ? ` (first errors at ${failed.n.toLocaleString('en')})` : ` (the largest step tried)`} — ${best >= GOAL ? 'meets' : 'BELOW'} the goal of ${GOAL.toLocaleString('en')}.`,
    ].join('\n');
    const problems = logProblems(logFile);
    if (problems.length) console.log(`server log: ${problems.length} error/warning lines, e.g.\n  ${problems.slice(0, 5).join('\n  ')}`);
    body += `\n\nServer log during the run: ${problems.length ? `${problems.length} error/warning lines (first: \`${problems[0]!.trim().slice(0, 120)}\`)` : 'no errors or warnings'}.`;
    const file = writePerformanceSection('## Waiting-room connections (`npm run bench:sse`)', body);
    console.log(`\n${body}\n\nwritten to ${path.relative(process.cwd(), file)}`);
    ok = true;
  } finally {
    for (const c of conns) {
      c.closed = true;
      c.req?.destroy();
    }
    agent.destroy();
    await app?.stop();
    await sql.end({ timeout: 5 });
    await db.drop().catch((e) => console.error('could not drop', db.name, e));
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (ok) fs.rmSync(logFile, { force: true });
    else console.error(`server log kept: ${logFile}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

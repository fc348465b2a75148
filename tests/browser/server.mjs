// server.mjs — starting and stopping `itstrat serve` for the browser tests
// (suite.mjs, edit.mjs): a free loopback port, the server's stderr kept in a
// file, a clean exit on SIGTERM and no sanitizer report asked of it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// Starts `ITSTRAT serve --db DB` with args on a free port (five tries) and
// waits until it accepts connections; stderr goes to errPath. factor
// stretches the waits (slower builds). Returns { proc, port, errPath, base }.
export async function startServer({ itstrat, db, args = [], errPath, factor = 1 }) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const errFd = fs.openSync(errPath, 'w');
    const proc = spawn(itstrat, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args, '--quiet'],
                       { stdio: ['ignore', 'ignore', errFd] });
    let exited = false;
    proc.on('exit', () => { exited = true; });
    const deadline = Date.now() + 120000 * factor; // a hang guard
    while (Date.now() < deadline && !exited) {
      const ok = await new Promise((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
        c.on('error', () => resolve(false));
      });
      if (ok) return { proc, port, errPath, base: `http://127.0.0.1:${port}` };
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!exited) proc.kill('SIGKILL');
  }
  throw new Error('itstrat serve did not start');
}

// Stops the server with SIGTERM and checks (through check(ok, what)) that
// it exited 0 and reported no sanitizer error.
export async function stopServer(srv, check, factor = 1) {
  const code = await new Promise((resolve) => {
    if (srv.proc.exitCode !== null) return resolve(srv.proc.exitCode);
    const t = setTimeout(() => { srv.proc.kill('SIGKILL'); }, 120000 * factor);
    srv.proc.on('exit', (c, sig) => { clearTimeout(t); resolve(sig ? sig : c); });
    srv.proc.kill('SIGTERM');
  });
  check(code === 0, `itstrat serve exited ${code} after SIGTERM`);
  const err = fs.readFileSync(srv.errPath, 'utf8');
  check(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(err),
        'the server reported a sanitizer error:\n' + err.slice(-4000));
}

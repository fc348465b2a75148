// oidc.mjs — signing in through a real OpenID provider in a real browser:
// the npm oidc-provider (tests/oidc/provider.mjs) on loopback over HTTPS
// with a throwaway CA made here (itstrat checks the provider's TLS with it:
// the oidc_ca_file setting; the browser is told to accept the certificate,
// its trust is not what is tested), and Debian's Chromium.
//
// a. /login shows the provider's button; it leads to the provider's own
//    login page; "pat" signs in there and consents; back in itstrat the
//    header names pat, whose account was made at first sign-in (jit) with
//    the role of its groups (it-strategy-editors -> manager);
// b. the provider rotates its keys (/__rotate); pat signs out (itstrat's
//    session ends and the browser goes to the provider's end-session page,
//    confirms, and comes back) and signs in again: the new key is fetched
//    once (the provider counts key-set fetches) and accepted, no restart.
// Environment: ITSTRAT, ITSTRAT_SRC, BROWSER_WORK, ITSTRAT_TIME_FACTOR.
// Prints "N passed, N failed"; exits 1 on any failure.
import { chromium } from 'playwright-core';
import { startServer, stopServer } from './server.mjs';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

const env = process.env;
const ITSTRAT = env.ITSTRAT, SRC = env.ITSTRAT_SRC;
const WORK = env.BROWSER_WORK || fs.mkdtempSync('/tmp/itstrat-oidc.');
const FACTOR = Number(env.ITSTRAT_TIME_FACTOR || 1);
const DB = path.join(WORK, 'oidc.db');
const SECRET = 'browser-secret-' + Math.random().toString(36).slice(2);
let passed = 0, failed = 0;
let page = null;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.error('FAIL oidc.mjs: ' + what); }
}
const it = (...a) => execFileSync(ITSTRAT, [...a, '--db', DB], { encoding: 'utf8' });
const ssl = (...a) => execFileSync('openssl', a, { cwd: WORK, stdio: 'ignore' });

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function opCall(port, method, p) {
  return new Promise((resolve, reject) => {
    const r = https.request({ host: '127.0.0.1', port, method, path: p,
                              ca: fs.readFileSync(path.join(WORK, 'ca.pem')) }, (res) => {
      let d = '';
      res.on('data', (c) => { d += c; });
      res.on('end', () => resolve(JSON.parse(d)));
    });
    r.on('error', reject);
    r.end();
  });
}

ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=itstrat test CA');
ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'op.key', '-out', 'op.csr', '-subj', '/CN=127.0.0.1');
fs.writeFileSync(path.join(WORK, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
ssl('x509', '-req', '-in', 'op.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out',
    'op.pem', '-days', '2', '-extfile', 'san.ext');

execFileSync(ITSTRAT, ['init', '--db', DB], { stdio: 'ignore' });
const srv = await startServer({ itstrat: ITSTRAT, db: DB, errPath: path.join(WORK, 'server.err'),
                                factor: FACTOR });
const opPort = await freePort();
const op = spawn('node', [path.join(SRC, 'tests/oidc/provider.mjs'), String(opPort),
                          path.join(WORK, 'op.pem'), path.join(WORK, 'op.key'),
                          `${srv.base}/login/oidc/callback`, `${srv.base}/`, SECRET],
                 { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  op.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
  op.on('exit', (c) => reject(new Error('the provider exited ' + c)));
});
const issuer = `https://127.0.0.1:${opPort}`;
fs.writeFileSync(path.join(WORK, 'secret'), SECRET + '\n');
it('idp', 'add', 'company', '--issuer', issuer, '--client-id', 'itstrat', '--client-secret-file',
   path.join(WORK, 'secret'), '--label', 'Sign in with Company ID', '--jit');
it('idp', 'map', 'company', 'it-strategy-editors', 'manager');
it('idp', 'set', 'oidc_ca_file', path.join(WORK, 'ca.pem'));
it('idp', 'set', 'oidc_refetch_seconds', '0');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const T = 120000; // a hang guard only: a busy machine is slower, not failed
async function signIn(pg, label) {
  const page = pg;
  await page.goto(`${srv.base}/login`);
  await page.click('text=Sign in with Company ID');
  await page.waitForURL((u) => u.origin === issuer, { timeout: T });
  check(await page.locator('input[name="login"]').count() === 1,
        `${label}: the provider's login page has no login field`);
  await page.fill('input[name="login"]', 'pat');
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  // The provider asks for consent the first time.
  await page.waitForLoadState('load');
  if (new URL(page.url()).origin === issuer) await page.click('button[type="submit"]', { timeout: T });
  await page.waitForURL((u) => u.origin === srv.base && u.pathname !== '/login/oidc/callback',
                        { timeout: T });
  const user = await page.locator('header .user a[href="/account"]').textContent().catch(() => null);
  check(user && user.trim() === 'pat', `${label}: the header names "${user}", not pat`);
}
try {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await ctx.newPage();
  await signIn(page, 'first sign-in');
  check(/pat\s.*manager/.test(it('user', 'list')), 'pat was not made a manager from the groups claim');
  const before = (await opCall(opPort, 'GET', '/__stats')).jwks;
  await opCall(opPort, 'POST', '/__rotate');
  // Sign out: itstrat's session ends, then the provider's end-session page.
  const seen = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) seen.push(f.url()); });
  await page.click('header form[action="/logout"] button');
  // The provider confirms (a page with a button) or, when it holds no
  // session of pat any more, goes straight back.
  await page.waitForURL((u) => u.origin === issuer || u.origin === srv.base && u.pathname === '/',
                        { timeout: T });
  if (new URL(page.url()).origin === issuer) {
    await page.locator('button').first().click({ timeout: T });
    await page.waitForURL((u) => u.origin === srv.base, { timeout: T });
  }
  check(seen.some((u) => u.startsWith(issuer + '/session/end')),
        `sign-out did not reach the provider's end-session page: ${seen.join(' ')}`);
  const r = await page.goto(`${srv.base}/account`);
  check(new URL(page.url()).pathname === '/login', `after sign-out /account is ${page.url()} (${r.status()})`);
  await signIn(page, 'after key rotation');
  const after = (await opCall(opPort, 'GET', '/__stats')).jwks;
  check(after - before === 1, `rotation made ${after - before} key-set fetches, not 1`);
} catch (e) {
  const where = page ? page.url() + ' ' + (await page.content().catch(() => '')).slice(-600) : '';
  check(false, 'the flow broke: ' + e.message + '\n at ' + where);
} finally {
  await browser.close();
  op.kill('SIGTERM');
  await stopServer(srv, check, FACTOR);
}
console.log(`browser.oidc: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

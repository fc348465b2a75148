// edit.mjs — signing in and editing in a real browser: Debian's Chromium
// driven by playwright-core, the forms checked by axe-core.
//
// Environment: ITSTRAT (the binary), ITSTRAT_SRC (the source tree),
// BROWSER_WORK (a scratch folder; default a new one in /tmp), EDIT_SHOTS
// (where the screenshots go; default tests/browser/out; docs/images for the
// README's pictures), ITSTRAT_TIME_FACTOR (slower builds: ASan).
//
// It makes its own database (the demo), three accounts with `itstrat user
// add`: managers "ed" (with a TOTP secret this test generates and writes
// with sqlite3, so it can compute RFC 6238 codes itself) and "ed2" (no
// second factor), and viewer "vi"; starts `itstrat serve` without
// --open-read on a free port, and in the browser:
//   a. signs ed in: /login?next=/s/2018-21, password, /login/code, the code,
//      back on /s/2018-21 with "ed" in the header;
//   b. edits the first project's title: an empty title first (422, the
//      problem linked to the field), then a new one: Saved, the new title,
//      and a History entry by ed with the title before -> after; and the
//      second project's owning unit alone (the other fields stay);
//   c. ed and ed2 open the same edit form; ed saves, then ed2: 409 "Someone
//      saved this record first" naming ed, with the comparison; "Save my
//      version" then saves ed2's title;
//   d. viewer vi opening an edit form gets 403 with the reason; an anonymous
//      visit to /admin/users is sent to /login;
//   e. axe-core on both sign-in steps, the edit form and the conflict page:
//      no serious or critical violations.
// Screenshots: web-signin.png (the code step), web-record-edit.png (the edit
// form), web-conflict.png, web-history.png, 1280 px wide. Prints "N passed,
// N failed"; exits 1 on any failure. Notes (not failures): moderate axe
// findings, a table without a caption, a problem that does not name its field.
// README pictures: EDIT_SHOTS=docs/images node tests/browser/edit.mjs.
import { chromium } from 'playwright-core';
import { startServer as startServerIn, stopServer as stopServerIn } from './server.mjs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const env = process.env;
const ITSTRAT = env.ITSTRAT;
const SRC = env.ITSTRAT_SRC;
if (!ITSTRAT || !SRC) {
  console.error('edit.mjs: set ITSTRAT and ITSTRAT_SRC');
  process.exit(2);
}
const WORK = env.BROWSER_WORK || fs.mkdtempSync('/tmp/itstrat-edit.');
const OUT = env.EDIT_SHOTS || path.join(SRC, 'tests/browser/out');
const FACTOR = Number(env.ITSTRAT_TIME_FACTOR || 1);
const DB = path.join(WORK, 'edit.db');
const S = '2018-21'; // the demo strategy
const DEMO_FILE = path.join(SRC, 'data/demo/ilo-it-strategy-2018-21.json');
const DEMO_TITLES = new Map(JSON.parse(fs.readFileSync(DEMO_FILE, 'utf8')).projects.map((p) => [p.code, p.title]));
fs.mkdirSync(OUT, { recursive: true });

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else {
    failed++;
    console.log('FAIL browser.edit: ' + what);
  }
  return ok;
}
const notes = [];
function note(msg) {
  notes.push(msg);
}

// ---------------------------------------------------------------- TOTP
// RFC 4648 base32 without padding.
function base32(buf) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0, out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += abc[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += abc[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const c of s) {
    value = (value << 5) | abc.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238: HMAC-SHA1 over the 30-second step, dynamic truncation, 6 digits.
function totp(secretB32, when = Date.now()) {
  const step = Math.floor(when / 1000 / 30);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', unbase32(secretB32)).update(msg).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}

// The RFC 6238 test vector (SHA-1, T = 59 s -> 94287082, 8 digits; its last
// six: 287082) proves the code above before a sign-in depends on it.
check(totp(base32(Buffer.from('12345678901234567890')), 59 * 1000) === '287082',
      'TOTP: the RFC 6238 test vector does not give 287082');

// ---------------------------------------------------------------- setup
function it(args, input) {
  return execFileSync(ITSTRAT, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
for (const f of [DB, DB + '-wal', DB + '-shm']) fs.rmSync(f, { force: true });
it(['import', '--db', DB, DEMO_FILE]);
const PW = {
  ed: 'ed-' + crypto.randomBytes(9).toString('base64url'),
  ed2: 'ed2-' + crypto.randomBytes(9).toString('base64url'),
  vi: 'vi-' + crypto.randomBytes(9).toString('base64url'),
};
for (const [login, role] of [['ed', 'manager'], ['ed2', 'manager'], ['vi', 'viewer']])
  it(['user', 'add', login, '--role', role, '--password-stdin', '--db', DB], PW[login] + '\n');
const SECRET = base32(crypto.randomBytes(20));
execFileSync('sqlite3', [DB, `UPDATE app_user SET totp_secret = '${SECRET}' WHERE login = 'ed'`]);
check(execFileSync('sqlite3', [DB, "SELECT totp_secret FROM app_user WHERE login = 'ed'"],
                   { encoding: 'utf8' }).trim() === SECRET, 'setup: the TOTP secret of ed was not stored');

// ---------------------------------------------------------------- server
function startServer() {
  return startServerIn({ itstrat: ITSTRAT, db: DB, args: [], errPath: path.join(WORK, 'edit-serve.stderr'),
                         factor: FACTOR });
}

function stopServer(srv) {
  return stopServerIn(srv, check, FACTOR);
}

// ---------------------------------------------------------------- browser helpers
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Console errors, page errors, failed sub-resources and dialogs since the
// last take(). The browser's own line for an intended error status (401,
// 403, 409) is not a page problem.
function watch(page) {
  let seen = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of/.test(m.text()))
      seen.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => seen.push('page error: ' + e.message));
  page.on('requestfailed', (r) => {
    // A request cut short by the next navigation (the favicon) is no failure.
    if (!/net::ERR_ABORTED/.test(r.failure()?.errorText || ''))
      seen.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document')
      seen.push(`resource ${r.url()} answered ${r.status()}`);
  });
  page.on('dialog', (d) => { seen.push('a script opened a dialog: ' + d.message()); d.dismiss(); });
  return { take() { const s = seen; seen = []; return s; } };
}

async function newCtx(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(120000 * FACTOR); // a hang guard, not a speed check
  context.setDefaultNavigationTimeout(180000 * FACTOR);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp, watcher: watch(page), base };
}

// Fails on what the watcher saw on the page labelled label.
function clean(ctx, label) {
  for (const e of ctx.watcher.take()) check(false, `${label}: ${e}`);
}

// axe-core, injected through the DevTools protocol (outside the page's
// CSP): serious or critical violations fail, lesser ones become notes.
async function axeCheck(ctx, label) {
  const { page, cdp } = ctx;
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    const r = await cdp.send('Runtime.evaluate', { expression: axeSource });
    if (r.exceptionDetails) return check(false, `${label}: axe-core could not be injected`);
  }
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  check(res && Array.isArray(res.violations), `${label}: axe-core gave no result`);
  for (const v of res.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' +
      (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200)).join(' | ');
    if (v.impact === 'serious' || v.impact === 'critical')
      check(false, `${label}: axe ${v.impact} ${v.id} (${v.help}) at ${where}`);
    else note(`${label}: axe ${v.impact} ${v.id} (${v.help})`);
  }
}

// What every page here must be: one h1 with the expected text, a title, and
// tables with captions (the suite's rule; a missing caption is a note here).
async function pageFacts(page) {
  return page.evaluate(() => ({
    h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
    title: document.title,
    main: document.querySelector('main')?.innerText || '',
    user: document.querySelector('header .user a[href="/account"]')?.textContent.trim() || null,
    uncaptioned: [...document.querySelectorAll('main table')].filter((t) => !t.querySelector(':scope > caption')).length,
  }));
}

async function shot(page, name, clip) {
  const file = path.join(OUT, name);
  await page.screenshot(clip ? { path: file, fullPage: true, clip } : { path: file, fullPage: true });
  const png = fs.readFileSync(file);
  check(png.length > 5000, `screenshot ${name} is ${png.length} bytes: empty?`);
  check(png.readUInt32BE(16) === 1280, `screenshot ${name} is ${png.readUInt32BE(16)} px wide, not 1280`);
}

// A full-width clip around the element sel (from 24 px above it), at most
// maxHeight tall.
async function clipAround(page, sel, maxHeight = 1400) {
  const box = await page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { y: r.top + window.scrollY, h: r.height };
  }, sel);
  if (!box) return null;
  const y = Math.max(0, Math.floor(box.y - 24));
  return { x: 0, y, width: 1280, height: Math.min(maxHeight, Math.ceil(box.h + 48)) };
}

// Clicks the submit button named label and waits for the page it leads to;
// returns the response of that document (after redirects).
async function submit(page, label) {
  const button = page.locator('main form.edit button[type="submit"]', { hasText: label });
  if (!check(await button.count() === 1, `no "${label}" button on ${page.url()}`)) return null;
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return resp;
}

// Signs login in through the form (and the code step when secret is given);
// returns the final response. Runs the checks of each step when label is set.
async function signIn(ctx, login, next, secret, label) {
  const { page } = ctx;
  const r0 = await page.goto(ctx.base + '/login?next=' + encodeURIComponent(next));
  check(r0.status() === 200, `${login}: /login answered ${r0.status()}`);
  if (label) {
    const f = await pageFacts(page);
    check(f.h1.length === 1 && f.h1[0] === 'Sign in', `${label}: h1 is ${JSON.stringify(f.h1)}, not "Sign in"`);
    await axeCheck(ctx, `${label} (password step)`);
  }
  await page.fill('#f-login', login);
  await page.fill('#f-password', PW[login]);
  let resp = await submit(page, 'Sign in');
  if (!resp) return null;
  if (secret) {
    const u = new URL(page.url());
    check(u.pathname === '/login/code' && u.searchParams.get('next') === next,
          `${login}: after the password the browser is at ${page.url()}, not /login/code?next=${next}`);
    check(resp.status() === 200, `${login}: /login/code answered ${resp.status()}`);
    const codeField = page.locator('#f-code');
    if (!check(await codeField.count() === 1, `${login}: the code step has no field #f-code`)) return resp;
    if (label) {
      const f = await pageFacts(page);
      check(f.h1.length === 1 && /second step/i.test(f.h1[0]), `${label}: code step h1 is ${JSON.stringify(f.h1)}`);
      check(f.user === null, `${label}: the header names "${f.user}" before the code is given`);
      check(/6-digit code/.test(f.main), `${label}: the code step does not ask for the 6-digit code`);
      check(await codeField.getAttribute('autocomplete') === 'one-time-code',
            `${label}: the code field lacks autocomplete="one-time-code"`);
      await axeCheck(ctx, `${label} (code step)`);
      clean(ctx, `${label} (code step)`);
      await shot(page, 'web-signin.png');
    }
    // A code in the last two seconds of its step may be stale on arrival:
    // wait for the next step then (the server accepts one step either side,
    // but a new step is the honest case).
    if ((Date.now() / 1000) % 30 > 28) await page.waitForTimeout(2500);
    await codeField.fill(totp(secret));
    resp = await submit(page, 'Continue');
  }
  return resp;
}

// ---------------------------------------------------------------- the checks
async function signInEd(ctx) {
  const label = 'sign-in';
  const resp = await signIn(ctx, 'ed', `/s/${S}`, SECRET, label);
  if (!resp) return false;
  const u = new URL(ctx.page.url());
  check(u.pathname === `/s/${S}` && resp.status() === 200,
        `${label}: after the code the browser is at ${ctx.page.url()} (${resp.status()}), not /s/${S}`);
  const f = await pageFacts(ctx.page);
  check(f.user === 'ed', `${label}: the header shows "${f.user}" instead of the login ed`);
  const cookies = await ctx.context.cookies();
  const sess = cookies.find((c) => c.name === 'itstrat_session');
  check(sess && sess.httpOnly && sess.sameSite !== 'None', `${label}: no HttpOnly session cookie: ${JSON.stringify(cookies.map((c) => c.name))}`);
  clean(ctx, label);
  return f.user === 'ed';
}

// The first project's record: its path ("/s/S/records/project/N").
async function firstProject(ctx) {
  const r = await ctx.page.goto(ctx.base + `/s/${S}/records/project`);
  check(r.status() === 200, `/s/${S}/records/project answered ${r.status()}`);
  const href = await ctx.page.evaluate(() => {
    const a = document.querySelector('main ul.records a[href]');
    return a ? new URL(a.href).pathname : null;
  });
  check(href && /^\/s\/[^/]+\/records\/project\/\d+$/.test(href), `the list of projects has no record link (${href})`);
  return href;
}

// The record page's facts: title field, version, notice, history entries.
async function recordFacts(page) {
  return page.evaluate(() => {
    const dd = (label) => {
      const dt = [...document.querySelectorAll('main dl.fields dt')].find((d) => d.textContent.trim() === label);
      return dt ? dt.nextElementSibling.textContent.trim() : null;
    };
    const hist = [...document.querySelectorAll('section[aria-labelledby="history"] ol.history > li')].map((li) => ({
      head: li.querySelector('p')?.textContent.trim() || '',
      changes: [...li.querySelectorAll('ul.changes li')].map((c) => ({
        field: (c.querySelector('code')?.textContent || c.textContent.split(':')[0]).trim(),
        values: [...c.querySelectorAll('q')].map((q) => q.textContent),
        text: c.textContent.trim(),
      })),
    }));
    return {
      h1: document.querySelector('h1')?.textContent.trim() || '',
      title: dd('Title'),
      code: dd('Code'),
      version: Number(dd('Version')),
      saved: !!document.querySelector('main .notice[role="status"]') &&
        /Saved/.test(document.querySelector('main .notice[role="status"]').textContent),
      historySection: !!document.querySelector('section[aria-labelledby="history"] h2#history'),
      hist,
    };
  });
}

async function editProject(ctx, rec) {
  const { page } = ctx;
  const label = 'edit';
  await page.goto(ctx.base + rec);
  const before = await recordFacts(page);
  // What the record holds, from the imported document (not from the page).
  const want = DEMO_TITLES.get(before.code);
  check(want, `${label}: the record ${rec} shows code "${before.code}", not a project of the demo`);
  check(before.title === want, `${label}: the record page ${rec} shows Title "${before.title}", but the ` +
        `project's title is "${want}"`);
  check(before.h1.includes(want), `${label}: the record page's h1 "${before.h1}" lacks the title "${want}"`);
  check(before.version >= 1, `${label}: the record ${rec} shows no version`);
  const edit = page.locator('main a.button', { hasText: /^Edit$/ });
  if (!check(await edit.count() === 1, `${label}: the record ${rec} has no Edit button for a manager`)) return null;
  const [r1] = await Promise.all([page.waitForNavigation(), edit.click()]);
  check(r1.status() === 200 && new URL(page.url()).pathname === rec + '/edit',
        `${label}: Edit led to ${page.url()} (${r1.status()})`);
  const f = await pageFacts(page);
  check(f.h1.length === 1 && f.h1[0] === 'Edit ' + before.h1, `${label}: the form's h1 is ${JSON.stringify(f.h1)}`);
  const title = page.locator('#f-title');
  if (!check(await title.count() === 1, `${label}: the form has no #f-title`)) return null;
  check(await title.inputValue() === want, `${label}: the form's Title field holds "${await title.inputValue()}", ` +
        `not the project's title "${want}"`);
  check(await page.locator('main form.edit input[name="version"]').getAttribute('value') === String(before.version),
        `${label}: the form does not carry version ${before.version}`);
  check(await page.locator('label[for="f-title"]').count() === 1, `${label}: the title field has no label`);
  await axeCheck(ctx, `${label} form`);
  clean(ctx, `${label} form`);
  await shot(page, 'web-record-edit.png');

  // An empty required field: 422, the form again with the problem named
  // and linked to the field, nothing saved.
  await title.fill('');
  const r422 = await submit(page, 'Save');
  check(r422 && r422.status() === 422, `${label}: saving an empty title answered ${r422?.status()}, not 422`);
  const problems = await page.evaluate(() => {
    const box = document.querySelector('main #problems[role="alert"]');
    return box ? { text: box.innerText.replace(/\s+/g, ' ').trim(),
                   links: [...box.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')) } : null;
  });
  check(problems && problems.links.includes('#f-title'),
        `${label}: the problems of an empty title do not link the Title field: ${JSON.stringify(problems)}`);
  check(problems && /Title: required/.test(problems.text),
        `${label}: the problem summary of an empty title says "${problems?.text}", not naming the field`);
  check(await page.locator('#f-title').getAttribute('aria-invalid') === 'true',
        `${label}: the empty Title field is not marked aria-invalid`);
  await axeCheck(ctx, `${label} form with a problem`);
  clean(ctx, `${label} form with a problem`);

  const newTitle = want + ' (revised by the browser test)';
  await title.fill(newTitle);
  const r2 = await submit(page, 'Save');
  if (!r2) return null;
  const u = new URL(page.url());
  check(r2.status() === 200 && u.pathname === rec && u.searchParams.get('saved') === '1',
        `${label}: Save led to ${page.url()} (${r2.status()}), not ${rec}?saved=1`);
  const after = await recordFacts(page);
  check(after.saved, `${label}: the record page does not say Saved`);
  check(after.title === newTitle, `${label}: the record shows title "${after.title}", not "${newTitle}"`);
  check(after.h1.includes(newTitle), `${label}: the h1 "${after.h1}" lacks the new title`);
  check(after.version === before.version + 1, `${label}: version ${after.version} after saving version ${before.version}`);
  check(after.historySection, `${label}: the record page has no History section`);
  const top = after.hist[0];
  check(top && /\bed changed it\b/.test(top.head) && /in the browser/.test(top.head),
        `${label}: the newest History entry is "${top?.head}", not an update by ed via the web`);
  const tc = top?.changes.find((c) => c.field === 'Title');
  check(tc && tc.values[0] === want && tc.values[1] === newTitle,
        `${label}: History does not show the title "${want}" → "${newTitle}": ${JSON.stringify(top?.changes)}`);
  // Only the title is listed (the version, which every change moves, is not).
  const others = (top?.changes || []).map((c) => c.field);
  check(others.join(',') === 'Title', `${label}: History lists the fields ${JSON.stringify(others)} for a title change`);
  const clip = await clipAround(page, 'section[aria-labelledby="history"]', 700);
  check(clip, `${label}: no History section to photograph`);
  if (clip) {
    // The Saved notice and the fields above the history are worth seeing
    // too: take from the top of main when it all fits in 1,400 px.
    const mainTop = await clipAround(page, 'main');
    const whole = mainTop && clip.y + clip.height - mainTop.y <= 1400
      ? { x: 0, y: mainTop.y, width: 1280, height: clip.y + clip.height - mainTop.y } : clip;
    await shot(page, 'web-history.png', whole);
  }
  clean(ctx, `${label}: the record after saving`);
  return { title: newTitle, version: after.version };
}

// Changing one field leaves the others as they were: the second project's
// owning unit, saved from a form the user did not otherwise touch.
async function editOneField(ctx) {
  const { page } = ctx;
  const label = 'edit one field';
  await page.goto(ctx.base + `/s/${S}/records/project`);
  const rec = await page.evaluate(() => {
    const a = document.querySelectorAll('main ul.records a[href]')[1];
    return a ? new URL(a.href).pathname : null;
  });
  if (!check(rec, `${label}: the list of projects has no second record`)) return;
  const r = await page.goto(ctx.base + rec + '/edit');
  check(r.status() === 200, `${label}: ${rec}/edit answered ${r.status()}`);
  const code = await page.locator('#f-code').inputValue();
  const want = DEMO_TITLES.get(code);
  const unit = 'Unit set by the browser test';
  await page.fill('#f-unit', unit);
  const r2 = await submit(page, 'Save');
  const u = new URL(page.url());
  if (!check(r2 && r2.status() === 200 && u.pathname === rec && u.searchParams.get('saved') === '1',
             `${label}: saving ${rec}/edit with only the unit changed answered ${r2?.status()} at ${page.url()}: ` +
             (await page.locator('main .error-message').allTextContents()).join(' ').replace(/\s+/g, ' ').slice(0, 300)))
    return;
  const after = await recordFacts(page);
  check(after.title === want, `${label}: after changing the unit of ${code}, Title shows "${after.title}", not "${want}"`);
  const top = after.hist[0];
  check(top && top.changes.map((c) => c.field).join(',') === 'Owning unit',
        `${label}: History lists ${JSON.stringify(top?.changes.map((c) => c.text))} for a change of the unit only`);
  clean(ctx, label);
}

async function conflict(ctxA, ctxB, rec, state) {
  const label = 'conflict';
  const A = ctxA.page, B = ctxB.page;
  for (const [p, who] of [[A, 'ed'], [B, 'ed2']]) {
    const r = await p.goto(ctxA.base + rec + '/edit');
    check(r.status() === 200, `${label}: ${who} opening ${rec}/edit: ${r.status()}`);
    check(await p.locator('main form.edit input[name="version"]').getAttribute('value') === String(state.version),
          `${label}: ${who}'s form does not carry version ${state.version}`);
  }
  const titleA = state.title + ' — ed first';
  const titleB = state.title + ' — ed2 second';
  await A.fill('#f-title', titleA);
  const rA = await submit(A, 'Save');
  check(rA && rA.status() === 200 && new URL(A.url()).searchParams.get('saved') === '1',
        `${label}: ed's save led to ${A.url()} (${rA?.status()})`);
  await B.fill('#f-title', titleB);
  const rB = await submit(B, 'Save');
  if (!check(rB && rB.status() === 409, `${label}: ed2's save over an old version answered ${rB?.status()}, not 409`))
    return;
  const f = await pageFacts(B);
  check(f.h1.length === 1 && f.h1[0] === 'Someone saved this record first', `${label}: h1 is ${JSON.stringify(f.h1)}`);
  const msg = await B.locator('main .error-message[role="alert"]').first().textContent().catch(() => '');
  check(/^This project was changed by ed on \d{4}-\d\d-\d\d at \d\d:\d\d UTC after you opened it/.test(msg),
        `${label}: the message does not name ed as the one who saved: "${msg}"`);
  const rows = await B.evaluate(() => {
    const t = document.querySelector('main table.conflict');
    if (!t) return null;
    return {
      head: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())),
    };
  });
  check(rows, `${label}: no comparison table (table.conflict)`);
  if (rows) {
    check(rows.head.join('|') === 'Field|Saved by them|Yours', `${label}: the table's columns are ${rows.head.join(', ')}`);
    check(rows.rows.length === 1 && rows.rows[0].join('|') === `Title|${titleA}|${titleB}`,
          `${label}: the comparison is ${JSON.stringify(rows.rows)}, not Title | ${titleA} | ${titleB}`);
  }
  check(!f.uncaptioned, `${label}: the comparison table has no <caption>`);
  check(await B.locator('#f-title').inputValue() === titleB, `${label}: the form again does not hold ed2's title`);
  check(await B.locator('main form.edit input[name="version"]').getAttribute('value') === String(state.version + 1),
        `${label}: the form again does not start from ed's version ${state.version + 1}`);
  await axeCheck(ctxB, `${label} page`);
  clean(ctxB, `${label} page`);
  // The message, the comparison and the start of the form: the first 1,000 px.
  await shot(B, 'web-conflict.png', { x: 0, y: 0, width: 1280, height: 1000 });

  const rC = await submit(B, 'Save my version');
  check(rC && rC.status() === 200 && new URL(B.url()).pathname === rec && new URL(B.url()).searchParams.get('saved') === '1',
        `${label}: "Save my version" led to ${B.url()} (${rC?.status()})`);
  const after = await recordFacts(B);
  check(after.saved && after.title === titleB && after.version === state.version + 2,
        `${label}: after "Save my version" the record shows "${after.title}" version ${after.version} (saved: ${after.saved})`);
  const top = after.hist[0], second = after.hist[1];
  check(top && /\bed2 changed it\b/.test(top.head) &&
        top.changes.some((c) => c.field === 'Title' && c.values[0] === titleA && c.values[1] === titleB),
        `${label}: History's newest entry is not ed2's ${titleA} → ${titleB}: ${JSON.stringify(top)}`);
  check(second && /\bed changed it\b/.test(second.head) &&
        second.changes.some((c) => c.field === 'Title' && c.values[1] === titleA),
        `${label}: History's second entry is not ed's save: ${JSON.stringify(second)}`);
  clean(ctxB, `${label}: the record after "Save my version"`);
  clean(ctxA, `${label}: ed's save`);
}

async function refused(browser, base, rec) {
  const vi = await newCtx(browser, base);
  const r = await signIn(vi, 'vi', `/s/${S}`, null, null);
  check(r && r.status() === 200 && new URL(vi.page.url()).pathname === `/s/${S}` &&
        (await pageFacts(vi.page)).user === 'vi', `viewer: signing vi in led to ${vi.page.url()}`);
  const e = await vi.page.goto(base + rec + '/edit');
  check(e.status() === 403, `viewer: ${rec}/edit answered ${e.status()}, not 403`);
  const f = await pageFacts(vi.page);
  check(f.h1[0] === '403 Forbidden', `viewer: the refusal's h1 is ${JSON.stringify(f.h1)}`);
  check(/Your role \(viewer\) may not/.test(f.main), `viewer: the 403 page does not say why: "${f.main.slice(0, 200)}"`);
  check(await vi.page.locator('main form.edit').count() === 0, 'viewer: the 403 page shows a form');
  const rp = await vi.page.goto(base + rec);
  check(rp.status() === 200 && await vi.page.locator('main a.button', { hasText: /^Edit$/ }).count() === 0,
        `viewer: the record page (${rp.status()}) offers an Edit button to a viewer`);
  clean(vi, 'viewer');
  await vi.context.close();

  const anon = await newCtx(browser, base);
  const a = await anon.page.goto(base + '/admin/users');
  const u = new URL(anon.page.url());
  check(a.status() === 200 && u.pathname === '/login' && u.searchParams.get('next') === '/admin/users',
        `anonymous: /admin/users ended at ${anon.page.url()} (${a.status()}), not /login?next=/admin/users`);
  const hop = a.request().redirectedFrom();
  check(hop && new URL(hop.url()).pathname === '/admin/users', 'anonymous: /admin/users was not answered with a redirect');
  const h = await anon.context.request.get(base + '/admin/users', { maxRedirects: 0 });
  check(h.status() >= 300 && h.status() < 400 && /^\/login\?next=/.test(h.headers().location || ''),
        `anonymous: /admin/users answered ${h.status()} location ${h.headers().location}`);
  const e2 = await anon.page.goto(base + rec + '/edit');
  check(new URL(anon.page.url()).pathname === '/login' && e2.status() === 200,
        `anonymous: ${rec}/edit ended at ${anon.page.url()}, not the sign-in page`);
  clean(anon, 'anonymous');
  await anon.context.close();
}

// The other record pages a manager uses, each with axe: the list of kinds, a
// kind's records, adding a progress update to a project (its form, then its
// record page), and deleting it after the page that says what depends on it.
// Then: every /s/{s}/records... route of routes.c was visited here (the
// browser suite, which signs nobody in, leaves them to this test).
const recordPaths = new Set();
async function visit(ctx, url, label, want = 200) {
  const r = await ctx.page.goto(ctx.base + url);
  check(r && r.status() === want, `${label}: ${url} answered ${r?.status()}, not ${want}`);
  recordPaths.add(new URL(ctx.page.url()).pathname);
  const f = await pageFacts(ctx.page);
  check(f.h1.length === 1, `${label}: ${f.h1.length} h1 elements`);
  check(!f.uncaptioned, `${label}: a table without a caption`);
  await axeCheck(ctx, label);
  clean(ctx, label);
  return f;
}

async function tourRecords(ctx, rec) {
  const { page } = ctx;
  let f = await visit(ctx, `/s/${S}/records`, 'records index');
  check(f.h1[0] === 'Records', `records index: h1 is ${f.h1[0]}`);
  check(await page.locator('main ul.kinds a[href$="/records/risk"]').count() === 1,
        'records index: no link to the risks');
  f = await visit(ctx, `/s/${S}/records/risk`, 'risks list');
  check(f.h1[0] === 'Risks', `risks list: h1 is ${f.h1[0]}`);
  const pid = rec.split('/').pop();
  f = await visit(ctx, `/s/${S}/records/update/new?parent=${pid}`, 'new update form');
  await page.fill('#f-date', '2021-06-30');
  await page.fill('#f-text', 'Rolled out to **two** more regional offices by the browser test.');
  const r = await submit(page, 'Create');
  check(r && r.status() === 200 && /\/records\/update\/\d+$/.test(new URL(page.url()).pathname),
        `new update: saving led to ${page.url()} (${r?.status()})`);
  recordPaths.add(new URL(page.url()).pathname);
  const upd = new URL(page.url()).pathname;
  const facts = await recordFacts(page);
  check(facts.saved, 'new update: the record page does not say Saved');
  check(facts.hist[0] && /created it/.test(facts.hist[0].head), 'new update: its history has no creation');
  await axeCheck(ctx, 'update record page');
  f = await visit(ctx, upd + '/delete', 'delete update page');
  check(/What depends on it/.test(f.main), 'delete page: no "What depends on it" section');
  const d = await submit(page, 'Delete');
  check(d && d.status() === 200 && new URL(page.url()).pathname === rec,
        `delete update: led to ${page.url()}, not the project ${rec}`);
  const gone = await page.request.get(ctx.base + upd);
  check(gone.status() === 404, `the deleted update still answers ${gone.status()}`);
}

function recordRouteCoverage() {
  const table = fs.readFileSync(path.join(SRC, 'src/web/routes.c'), 'utf8');
  const patterns = [...table.matchAll(/\{"(\/s\/\{s\}\/records[^"]*)"/g)].map((m) => m[1]);
  check(patterns.length >= 6, `routes.c: only ${patterns.length} record routes found`);
  for (const p of patterns) {
    const re = new RegExp('^' + p.replace(/\{[a-z]+\}/g, '[^/]+') + '$');
    check([...recordPaths].some((u) => re.test(u)), `route ${p} was not visited by browser.edit`);
  }
}

// ---------------------------------------------------------------- main
const t0 = Date.now();
const srv = await startServer();
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'])
  process.on(sig, () => { srv.proc.kill('SIGKILL'); process.exit(1); });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
let crashed = null;
try {
  const ctxA = await newCtx(browser, srv.base);
  if (await signInEd(ctxA)) {
    const rec = await firstProject(ctxA);
    const state = rec ? await editProject(ctxA, rec) : null;
    if (rec) {
      recordPaths.add(rec);
      recordPaths.add(rec + '/edit');
      await tourRecords(ctxA, rec);
    }
    await editOneField(ctxA);
    const ctxB = await newCtx(browser, srv.base);
    const r = await signIn(ctxB, 'ed2', `/s/${S}`, null, null);
    check(r && r.status() === 200 && (await pageFacts(ctxB.page)).user === 'ed2',
          `ed2: signing in led to ${ctxB.page.url()} (${r?.status()})`);
    if (state) await conflict(ctxA, ctxB, rec, state);
    if (rec) await refused(browser, srv.base, rec);
    await ctxB.context.close();
  }
  await ctxA.context.close();
} catch (e) {
  crashed = e;
  check(false, 'the test stopped: ' + (e.stack || e));
} finally {
  await browser.close();
  await stopServer(srv);
}
// The audit trail: ed's two saves and ed2's one on the first project (and
// ed's unit change on the second, when it went through).
const audit = execFileSync('sqlite3', [DB, "SELECT actor || ' ' || action FROM audit WHERE entity = 'project' " +
                                       "AND entity_key = (SELECT s.code || '/' || p.code FROM project p JOIN strategy s " +
                                       "ON s.id = p.strategy_id ORDER BY p.sort LIMIT 1) AND action <> 'import' ORDER BY id"],
                           { encoding: 'utf8' }).trim().split('\n');
check(audit.join(',') === 'ed update,ed update,ed2 update',
      `the audit trail of the first project holds ${JSON.stringify(audit)}, not ed's two updates and ed2's one`);
recordRouteCoverage();
for (const n of notes) console.log('browser.edit: note: ' + n);
console.log(`browser.edit: screenshots in ${OUT}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`browser.edit: ${passed} passed, ${failed} failed`);
process.exit(failed || crashed ? 1 : 0);

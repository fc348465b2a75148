// suite.mjs — the web application in a real browser: Debian's Chromium driven
// by playwright-core, every page checked by axe-core.
//
// Environment: ITSTRAT (the binary), ITSTRAT_SRC (the source tree), BROWSER_DB
// (a database holding the demo, `gen --projects 300 --seed 4` and the hostile
// strategy), BROWSER_WORK (a scratch folder), BROWSER_OUT (where screenshots
// go; default tests/browser/out), ITSTRAT_TIME_FACTOR (slower builds: ASan).
//
// It starts `itstrat serve` on a free port and, for each strategy, opens every
// page of the route table: status 200, one h1, headings in order, tables with
// captions, no script element, no console error, no blocked resource, no
// dialog (hostile text must stay text), axe-core clean of serious and critical
// violations, no horizontal scroll at 375 px. Then: the navigation, the
// portfolio's form, search, sorting, paging and downloads (CSV, XLSX), the
// skip link by keyboard, error pages, every internal link, and that every
// /s/{s} route of src/web/routes.c was visited. Screenshots of the main pages
// land in BROWSER_OUT. Prints "N passed, N failed"; exits 1 on any failure.
import { chromium } from 'playwright-core';
import { startServer as startServerIn, stopServer as stopServerIn } from './server.mjs';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const env = process.env;
const ITSTRAT = env.ITSTRAT;
const SRC = env.ITSTRAT_SRC;
const DB = env.BROWSER_DB;
const WORK = env.BROWSER_WORK || fs.mkdtempSync('/tmp/itstrat-browser.');
const OUT = env.BROWSER_OUT || path.join(SRC, 'tests/browser/out');
const FACTOR = Number(env.ITSTRAT_TIME_FACTOR || 1);
const VERBOSE = !!env.BROWSER_VERBOSE;
if (!ITSTRAT || !SRC || !DB) {
  console.error('suite.mjs: set ITSTRAT, ITSTRAT_SRC and BROWSER_DB');
  process.exit(2);
}
fs.mkdirSync(OUT, { recursive: true });

let passed = 0, failed = 0;
const problems = [];
function check(ok, what) {
  if (ok) passed++;
  else {
    failed++;
    problems.push(what);
    console.log('FAIL browser: ' + what);
  }
  return ok;
}
function info(msg) {
  if (VERBOSE) console.log('  ' + msg);
}

// ---------------------------------------------------------------- the data
const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const docs = [
  readJson(path.join(SRC, 'data/demo/ilo-it-strategy-2018-21.json')),
  readJson(path.join(WORK, 'gen.json')),
  readJson(path.join(SRC, 'tests/data/hostile.json')),
];
const GEN = docs[1];
const GEN_CODE = GEN.strategy.code;

// A search of the portfolio that only the progress updates can answer: a
// word of project X's updates that X's title and summary lack, with X's
// status and category as filters. The word shares its first five letters
// with no other word of the data (so prefix matching or stemming cannot
// widen it) and is no status or category name. Returns {word, status,
// category, x, codes} with the codes of every project the search must find.
function searchCase(doc) {
  const tok = (s) => (s || '').toLowerCase().match(/[a-z]+/g) || [];
  const text = (p) => tok(p.title).concat(tok(p.summary), ...(p.updates || []).map((u) => tok(u.text)));
  const all = new Set(doc.projects.flatMap(text));
  const names = new Set([...tok((doc.strategy.categories || []).map((c) => c.name + ' ' + c.code).join(' ')),
                         'proposed', 'approved', 'progress', 'pilot', 'completed', 'hold', 'cancelled']);
  const ok = (w) => w.length >= 6 && !names.has(w) && ![...all].some((o) => o !== w && o.slice(0, 5) === w.slice(0, 5));
  let best = null;
  for (const x of doc.projects)
    for (const w of new Set((x.updates || []).flatMap((u) => tok(u.text)))) {
      if (!ok(w) || tok(x.title).concat(tok(x.summary)).includes(w)) continue;
      const codes = doc.projects.filter((p) => p.status === x.status && p.category === x.category &&
                                               text(p).includes(w)).map((p) => p.code);
      if (codes.length <= 20 && (!best || codes.length > best.codes.length))
        best = { word: w, status: x.status, category: x.category, x: x.code, codes };
    }
  return best;
}

// The members of a zip file (an XLSX) as name -> Buffer: read from the
// central directory, stored or deflated members only (what xlsx writers use).
function unzip(data) {
  const out = new Map();
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--)
    if (data.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = data.readUInt16LE(eocd + 10);
  let p = data.readUInt32LE(eocd + 16);
  for (let k = 0; k < count; k++) {
    if (data.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = data.readUInt16LE(p + 10), csize = data.readUInt32LE(p + 20);
    const nlen = data.readUInt16LE(p + 28), xlen = data.readUInt16LE(p + 30), clen = data.readUInt16LE(p + 32);
    const local = data.readUInt32LE(p + 42);
    const name = data.toString('utf8', p + 46, p + 46 + nlen);
    if (data.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header of ' + name);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const raw = data.subarray(start, start + csize);
    out.set(name, method === 8 ? zlib.inflateRawSync(raw) : method === 0 ? raw : Buffer.alloc(0));
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

// ---------------------------------------------------------------- server
function startServer() {
  return startServerIn({ itstrat: ITSTRAT, db: DB, args: ['--open-read'], errPath: path.join(WORK, 'serve.stderr'),
                         factor: FACTOR });
}

function stopServer(srv) {
  return stopServerIn(srv, check, FACTOR);
}

// ---------------------------------------------------------------- pages
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const moderate = new Map(); // rule id -> pages, reported as notes
const visited = new Set(); // paths answered 200
const links = new Map(); // internal link -> the page it was found on

// Watches a page for console errors, failed or refused requests and dialogs;
// take() returns and forgets what was seen since the last call.
function watch(page) {
  let seen = [];
  page.on('console', (m) => { if (m.type() === 'error') seen.push('console: ' + m.text()); });
  page.on('pageerror', (e) => seen.push('page error: ' + e.message));
  page.on('requestfailed', (r) => {
    // A download is a navigation the browser hands over, not a failure.
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

// Runs axe-core on the page (injected outside the page's CSP through the
// DevTools protocol, so the page keeps its own policy) and fails on serious
// or critical violations.
async function axeCheck(page, cdp, label) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) {
    const r = await cdp.send('Runtime.evaluate', { expression: axeSource });
    if (r.exceptionDetails) return check(false, `${label}: axe-core could not be injected`);
  }
  const res = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
  }));
  for (const v of res.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '')
        .replace(/\s+/g, ' ').slice(0, 200)).join(' | ');
      check(false, `${label}: axe ${v.impact} ${v.id} (${v.help}) at ${where}`);
    } else {
      if (!moderate.has(v.id)) moderate.set(v.id, new Set());
      moderate.get(v.id).add(label);
    }
  }
  check(true, `${label}: axe`);
}

// The structure every page must have.
// A "document" page (the report as `itstrat report` writes it) has its own
// frame: no site title suffix, header or skip link.
async function structureCheck(page, label, document_ = false) {
  const s = await page.evaluate(() => {
    const hs = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => +h.tagName[1]);
    const jumps = [];
    for (let i = 1; i < hs.length; i++) if (hs[i] > hs[i - 1] + 1) jumps.push(`h${hs[i - 1]}→h${hs[i]}`);
    const tables = [...document.querySelectorAll('table')];
    return {
      h1: document.querySelectorAll('h1').length,
      h1text: document.querySelector('h1')?.textContent.trim() || '',
      first: hs[0],
      jumps,
      title: document.title,
      lang: document.documentElement.lang,
      scripts: document.querySelectorAll('script').length,
      handlers: [...document.querySelectorAll('*')].filter((e) =>
        [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
        /^\s*javascript:/i.test(a.getAttribute('href'))).length,
      uncaptioned: tables.filter((t) => !t.querySelector(':scope > caption')).length,
      noHeaders: tables.filter((t) => !t.querySelector('th')).length,
      badScope: [...document.querySelectorAll('table th')].filter((th) =>
        !th.getAttribute('scope') && !th.id).length,
      main: document.querySelectorAll('main#main').length,
      skip: document.querySelector('a.skip')?.getAttribute('href'),
      links: [...document.querySelectorAll('a[href]')].filter((a) => !a.getAttribute('href').startsWith('#'))
        .map((a) => a.href),
    };
  });
  check(s.h1 === 1, `${label}: ${s.h1} h1 elements, expected 1`);
  check(s.h1text.length > 0, `${label}: the h1 is empty`);
  check(s.first === 1, `${label}: the first heading is h${s.first}, not h1`);
  check(s.jumps.length === 0, `${label}: headings skip levels: ${s.jumps.join(', ')}`);
  if (!document_) check(/ · itstrat$/.test(s.title), `${label}: odd title "${s.title}"`);
  else check(s.title.length > 0, `${label}: no title`);
  check(s.lang === 'en', `${label}: html lang is "${s.lang}"`);
  check(s.scripts === 0, `${label}: ${s.scripts} script elements (pages have no JavaScript)`);
  check(s.handlers === 0, `${label}: ${s.handlers} elements with on* event attributes`);
  check(s.jsLinks === 0, `${label}: ${s.jsLinks} javascript: links`);
  check(s.uncaptioned === 0, `${label}: ${s.uncaptioned} tables without a caption`);
  check(s.noHeaders === 0, `${label}: ${s.noHeaders} tables without header cells`);
  check(s.badScope === 0, `${label}: ${s.badScope} th cells without scope`);
  if (!document_) {
    check(s.main === 1, `${label}: no <main id="main">`);
    check(s.skip === '#main', `${label}: no skip link to #main`);
  }
  return s;
}

// Opens url, checks status, structure, console and axe; returns the page's
// structure facts (or null when the status was wrong).
async function visit(ctx, url, label, opts = {}) {
  const { page, cdp, watcher } = ctx;
  const want = opts.status || 200;
  const resp = await page.goto(ctx.base + url, { waitUntil: 'load' });
  const status = resp ? resp.status() : 0;
  if (!check(status === want, `${label} (${url}): status ${status}, expected ${want}`)) {
    watcher.take();
    return null;
  }
  const ct = resp.headers()['content-type'] || '';
  check(ct.startsWith('text/html'), `${label}: content type ${ct}`);
  const s = await structureCheck(page, label, opts.document);
  await page.waitForTimeout(20); // let late console messages arrive
  for (const e of watcher.take())
    // The browser's own line for an intended error status is not a page problem.
    if (!(want >= 400 && /Failed to load resource: the server responded with a status of/.test(e)))
      check(false, `${label} (${url}): ${e}`);
  if (!opts.noAxe) await axeCheck(page, cdp, label);
  if (want === 200) visited.add(new URL(page.url()).pathname);
  for (const l of s.links) {
    const u = new URL(l);
    if (u.origin === ctx.base && !links.has(u.pathname + u.search)) links.set(u.pathname + u.search, label);
  }
  return s;
}

async function screenshot(page, name, fullPage = true) {
  const file = path.join(OUT, name);
  await page.screenshot({ path: file, fullPage });
  check(fs.statSync(file).size > 5000, `screenshot ${name} is empty`);
}

async function newCtx(browser, base, viewport) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  context.setDefaultTimeout(120000 * FACTOR); // a hang guard, not a speed check
  context.setDefaultNavigationTimeout(180000 * FACTOR);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp, watcher: watch(page), base };
}

// The first link on the current page whose path starts with prefix.
async function firstLink(page, prefix) {
  return page.evaluate((p) => {
    const a = [...document.querySelectorAll('main a[href]')].find((x) =>
      new URL(x.href).pathname.startsWith(p) && new URL(x.href).pathname !== p);
    return a ? new URL(a.href).pathname : null;
  }, prefix);
}

// ---------------------------------------------------------------- checks
async function strategyPages(ctx, doc) {
  const s = doc.strategy.code;
  const P = `/s/${s}`;
  const list = [
    ['home', P], ['strategy', `${P}/strategy`], ['portfolio', `${P}/portfolio`],
    ['indicators', `${P}/indicators`], ['risks', `${P}/risks`], ['services', `${P}/services`],
    ['expenditure', `${P}/expenditure`], ['governance', `${P}/governance`], ['reports', `${P}/reports`],
  ];
  for (const [name, url] of list) await visit(ctx, url, `${s} ${name}`);

  // A project: the first the strategy holds; the portfolio links to projects.
  const code = doc.projects[0].code;
  await visit(ctx, `${P}/projects/${encodeURIComponent(code)}`, `${s} project ${code}`);
  await ctx.page.goto(ctx.base + `${P}/portfolio`);
  const fromPortfolio = await firstLink(ctx.page, `${P}/projects/`);
  check(fromPortfolio, `${s} portfolio: no link to a project`);
  if (fromPortfolio && fromPortfolio !== `${P}/projects/${encodeURIComponent(code)}`)
    await visit(ctx, fromPortfolio, `${s} project (from the portfolio)`, { noAxe: true });
  ctx.watcher.take();

  // An indicator, when the strategy has some, reached from the list.
  if ((doc.indicators || []).length) {
    await ctx.page.goto(ctx.base + `${P}/indicators`);
    const ind = await firstLink(ctx.page, `${P}/indicators/`);
    check(ind, `${s} indicators: no link to an indicator`);
    await visit(ctx, ind || `${P}/indicators/${encodeURIComponent(doc.indicators[0].code)}`,
                `${s} indicator`);
    ctx.watcher.take();
  }

  // A report, reached from the list of reports.
  await ctx.page.goto(ctx.base + `${P}/reports`);
  const rep = await firstLink(ctx.page, `${P}/reports/`);
  check(rep, `${s} reports: no link to a report`);
  const year = (doc.reports && doc.reports[0] && doc.reports[0].year) || doc.strategy.last_year;
  await visit(ctx, rep || `${P}/reports/${year}`, `${s} report`, { document: true });
  ctx.watcher.take();
}

// The navigation: each entry leads to its page, marked as current there.
async function navigation(ctx, s) {
  const { page } = ctx;
  await page.goto(ctx.base + `/s/${s}`);
  const entries = await page.$$eval('header nav a', (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));
  check(entries.length >= 9, `${s}: the navigation has ${entries.length} entries`);
  for (const e of entries) {
    await page.goto(ctx.base + `/s/${s}`);
    await Promise.all([page.waitForLoadState('load'), page.locator('header nav a', { hasText: e.text }).first().click()]);
    const url = new URL(page.url());
    check(url.pathname === e.href, `${s} nav "${e.text}": went to ${url.pathname}, not ${e.href}`);
    const current = await page.$$eval('header nav a[aria-current="page"]', (as) => as.map((a) => a.textContent.trim()));
    check(current.length === 1 && current[0] === e.text,
          `${s} nav "${e.text}": the current entry is marked as ${JSON.stringify(current)}`);
    const h1 = await page.locator('h1').count();
    check(h1 === 1, `${s} nav "${e.text}": the page has ${h1} h1`);
  }
  // The brand leads to the list of strategies; the strategy name to its home.
  await page.goto(ctx.base + `/s/${s}/risks`);
  await Promise.all([page.waitForLoadState('load'), page.click('header a.strategy-name')]);
  check(new URL(page.url()).pathname === `/s/${s}`, `${s}: the strategy name does not lead home`);
  ctx.watcher.take();
}

// Keyboard: the first Tab reaches the skip link, Enter moves focus to main.
async function keyboard(ctx, url, label) {
  const { page } = ctx;
  await page.goto(ctx.base + url);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({
    cls: document.activeElement.className, text: document.activeElement.textContent.trim(),
    href: document.activeElement.getAttribute('href'),
    visible: (() => { const r = document.activeElement.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.top >= 0 && r.top < window.innerHeight; })(),
  }));
  check(first.href === '#main', `${label}: the first Tab reaches ${JSON.stringify(first)}, not the skip link`);
  check(first.visible, `${label}: the focused skip link is not visible on screen`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(50);
  const focus = await page.evaluate(() => ({ id: document.activeElement.id, tag: document.activeElement.tagName }));
  check(focus.id === 'main' && focus.tag === 'MAIN', `${label}: after the skip link the focus is on ${JSON.stringify(focus)}`);
  // The next Tab goes into the content, not back into the header.
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => !!document.activeElement.closest('main, footer'));
  check(next, `${label}: Tab after the skip link leaves the main content`);
  ctx.watcher.take();
}

// The portfolio of the generated strategy: filters, search, sort, paging,
// downloads.
async function portfolio(ctx) {
  const { page } = ctx;
  const P = `/s/${GEN_CODE}/portfolio`;
  const rowsCodes = () => page.$$eval('main table tbody tr', (trs) => trs.map((tr) => {
    const a = tr.querySelector('a[href*="/projects/"]');
    return a ? decodeURIComponent(a.getAttribute('href').split('/projects/')[1]) : null;
  }).filter(Boolean));
  let resp = await page.goto(ctx.base + P);
  if (!check(resp.status() === 200, `portfolio: status ${resp.status()}`)) return;
  const allRows = await rowsCodes();
  check(allRows.length >= 10 && allRows.length <= 100, `portfolio: ${allRows.length} project rows on page 1`);
  const form = page.locator('main form').first();
  check(await form.count() === 1, 'portfolio: no filter form');
  check((await form.getAttribute('method') || 'get').toLowerCase() === 'get', 'portfolio: the form is not GET');

  // Filters: choose a status and a category that some projects have.
  const byStatus = new Map(), byCat = new Map();
  for (const p of GEN.projects) {
    byStatus.set(p.status, (byStatus.get(p.status) || 0) + 1);
    byCat.set(p.category, (byCat.get(p.category) || 0) + 1);
  }
  const status = [...byStatus].sort((a, b) => b[1] - a[1])[0][0];
  const cat = [...byCat].filter(([c]) => c).sort((a, b) => b[1] - a[1])[0][0];
  const expect = GEN.projects.filter((p) => p.status === status && p.category === cat).map((p) => p.code);
  const selStatus = form.locator('select[name="status"]');
  const selCat = form.locator('select[name="category"]');
  check(await selStatus.count() === 1, 'portfolio: no status select');
  check(await selCat.count() === 1, 'portfolio: no category select');
  if (await selStatus.count() === 1 && await selCat.count() === 1) {
    await selStatus.selectOption(status);
    await selCat.selectOption(cat);
    const submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])').first();
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/status=/), submit.click()]);
    const u = new URL(page.url());
    check(u.searchParams.get('status') === status && u.searchParams.get('category') === cat,
          `portfolio filters: the URL ${u.search} does not carry status=${status}&category=${cat}`);
    const got = await rowsCodes();
    check(got.length === Math.min(expect.length, allRows.length) && got.every((c) => expect.includes(c)),
          `portfolio filters status=${status} category=${cat}: rows ${got.slice(0, 5)}… (${got.length}) ` +
          `are not the ${expect.length} expected`);
    // The form shows the chosen values again.
    check(await selStatus.inputValue() === status && await selCat.inputValue() === cat,
          'portfolio filters: the form does not show the chosen values');
    await structureCheck(page, 'portfolio (filtered)');
    await axeCheck(page, ctx.cdp, 'portfolio (filtered)');
    // The downloads carry the filter.
    const csvHref = await page.$eval('a[href*="portfolio.csv"]', (a) => a.getAttribute('href')).catch(() => null);
    check(csvHref && csvHref.includes(`status=${status}`) && csvHref.includes(`category=${cat}`),
          `portfolio filters: the CSV link ${csvHref} does not carry the filter`);
    if (csvHref) {
      const r = await ctx.context.request.get(ctx.base + csvHref);
      const lines = (await r.text()).trim().split(/\r?\n/);
      check(r.status() === 200 && lines.length - 1 === expect.length,
            `portfolio filters: the filtered CSV has ${lines.length - 1} rows, expected ${expect.length}`);
    }
  }

  // Search a word that only the updates hold, with two filters.
  const sc = searchCase(GEN);
  check(sc, 'no word of an update to search for');
  if (sc) {
    info(`search "${sc.word}" with status ${sc.status} and category ${sc.category}: ${sc.codes.join(' ')}`);
    await page.goto(ctx.base + P);
    const q = page.locator('main form input[name="q"]');
    check(await q.count() === 1, 'portfolio: no search field q');
    if (await q.count() === 1 && await selStatus.count() === 1 && await selCat.count() === 1) {
      await q.fill(sc.word);
      await selStatus.selectOption(sc.status);
      await selCat.selectOption(sc.category);
      await Promise.all([page.waitForLoadState('load'), page.waitForURL(/q=/), q.press('Enter')]);
      const u = new URL(page.url());
      check(u.searchParams.get('q') === sc.word && u.searchParams.get('status') === sc.status,
            `portfolio search: the URL ${u.search} lacks q=${sc.word} or status=${sc.status}`);
      const got = await rowsCodes();
      check(got.length === sc.codes.length && got.every((c) => sc.codes.includes(c)) && got.includes(sc.x),
            `portfolio search "${sc.word}" (${sc.status}, ${sc.category}): rows ${got.join(' ')} are not ` +
            `${sc.codes.join(' ')} (${sc.x} has the word in an update only)`);
      check(await q.inputValue() === sc.word, 'portfolio search: the field does not show the word');
      await structureCheck(page, 'portfolio (search)');
      ctx.watcher.take();
    }
  }

  // Sort by title, both ways.
  await page.goto(ctx.base + P);
  const titleHeader = page.locator('main table thead th a', { hasText: /title/i }).first();
  check(await titleHeader.count() === 1, 'portfolio: the Title column header is not a sort link');
  if (await titleHeader.count() === 1) {
    // The Title column of the projects' table (the page has figure tables too).
    const titles = () => page.evaluate(() => {
      const table = [...document.querySelectorAll('main table')].find((t) =>
        [...t.querySelectorAll('thead th')].some((th) => /title/i.test(th.textContent)));
      if (!table) return [];
      const i = [...table.querySelectorAll('thead th')].findIndex((th) => /title/i.test(th.textContent));
      return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[i]?.textContent.trim() || '');
    });
    const sortedBy = (a, cmp) => a.every((x, i) => i === 0 || cmp(a[i - 1], x) <= 0);
    const byte = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const nocase = (a, b) => byte(a.toLowerCase(), b.toLowerCase());
    const loc = (a, b) => a.localeCompare(b);
    const asc = (a) => sortedBy(a, byte) || sortedBy(a, nocase) || sortedBy(a, loc);
    const desc = (a) => asc([...a].reverse());
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/sort=/), titleHeader.click()]);
    const u1 = new URL(page.url());
    const t1 = await titles();
    check(u1.searchParams.has('sort'), `portfolio sort: the URL ${u1.search} has no sort`);
    check(t1.length > 1 && (asc(t1) || desc(t1)), `portfolio sort by title: not sorted: ${t1.slice(0, 6).join(' | ')}`);
    const h2 = page.locator('main table thead th a', { hasText: /title/i }).first();
    await Promise.all([page.waitForLoadState('load'), h2.click()]);
    const t2 = await titles();
    check(t2.length > 1 && (asc(t1) ? desc(t2) : asc(t2)) && t2[0] !== t1[0],
          `portfolio sort by title again: not the other way: ${t2.slice(0, 6).join(' | ')}`);
    const sortAttr = await page.$$eval('main table thead th[aria-sort]', (ths) => ths.map((t) => t.getAttribute('aria-sort')));
    check(sortAttr.length === 1 && /ascending|descending/.test(sortAttr[0]),
          `portfolio sort: aria-sort on the sorted column is ${JSON.stringify(sortAttr)}`);
    ctx.watcher.take();
  }

  // Page 2.
  await page.goto(ctx.base + P);
  const p1 = await rowsCodes();
  const next = page.locator('main .pager a', { hasText: /next|2/i }).first();
  check(await next.count() === 1, 'portfolio: no link to the next page in .pager');
  if (await next.count() === 1) {
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/page=2/), next.click()]);
    const p2 = await rowsCodes();
    check(new URL(page.url()).searchParams.get('page') === '2', 'portfolio paging: the URL has no page=2');
    check(p2.length > 0 && p2.every((c) => !p1.includes(c)), `portfolio page 2 repeats page 1: ${p2.slice(0, 5)}`);
    await structureCheck(page, 'portfolio page 2');
    ctx.watcher.take();
  }

  // Downloads of the unfiltered list: CSV and XLSX through the browser.
  await page.goto(ctx.base + P);
  const known = GEN.projects[0].code;
  for (const [kind, sel] of [['CSV', 'a[href*="portfolio.csv"]'], ['XLSX', 'a[href*="portfolio.xlsx"]']]) {
    const link = page.locator(sel).first();
    if (!check(await link.count() === 1, `portfolio: no ${kind} download link`)) continue;
    const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = path.join(WORK, 'download.' + kind.toLowerCase());
    await dl.saveAs(file);
    const name = dl.suggestedFilename();
    check(name.toLowerCase().endsWith('.' + kind.toLowerCase()), `portfolio ${kind}: file name "${name}"`);
    const data = fs.readFileSync(file);
    if (kind === 'CSV') {
      const text = data.toString('utf8').replace(/^\uFEFF/, '');
      const lines = text.split(/\r?\n/).filter((l) => l.length);
      check(/code/i.test(lines[0]) && /title/i.test(lines[0]), `portfolio CSV: header "${lines[0]}"`);
      check(lines.some((l) => l.split(',')[0].replace(/"/g, '') === known), `portfolio CSV: no row of ${known}`);
      check(lines.length - 1 === GEN.projects.length,
            `portfolio CSV: ${lines.length - 1} rows, the strategy has ${GEN.projects.length}`);
    } else {
      check(data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'portfolio XLSX: no zip signature');
      let parts = new Map();
      try {
        parts = unzip(data);
      } catch (e) {
        check(false, `portfolio XLSX: not a readable zip: ${e.message}`);
      }
      check(parts.has('xl/workbook.xml') && parts.has('xl/worksheets/sheet1.xml'),
            `portfolio XLSX: members ${[...parts.keys()].join(', ')}`);
      const xml = ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']
        .map((n) => (parts.get(n) || Buffer.alloc(0)).toString('utf8')).join('');
      check(xml.includes(`>${known}<`), `portfolio XLSX: the sheet does not hold ${known}`);
      const rows = (parts.get('xl/worksheets/sheet1.xml') || '').toString().match(/<row /g) || [];
      check(rows.length >= GEN.projects.length,
            `portfolio XLSX: ${rows.length} rows, the strategy has ${GEN.projects.length} projects`);
    }
  }
  ctx.watcher.take();
}

// Phone width: no horizontal scroll; axe again (small screens change layout).
async function phone(browser, base, urls) {
  const ctx = await newCtx(browser, base, { width: 375, height: 812 });
  for (const [label, url] of urls) {
    const resp = await ctx.page.goto(base + url);
    if (!check(resp.status() === 200, `phone ${label}: status ${resp.status()}`)) continue;
    const w = await ctx.page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll('body *')].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.right > 376 && !e.closest('.table-wrap, .figure, figure, pre');
      }).slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')),
    }));
    check(w.doc <= 375, `phone ${label}: the page is ${w.doc} px wide (${w.wide.join(', ')})`);
    await axeCheck(ctx.page, ctx.cdp, `phone ${label}`);
    if (label === `${GEN_CODE} home`) {
      await screenshot(ctx.page, 'phone-home.png', false); // the first screen
      await screenshot(ctx.page, 'phone-home-full.png');
    }
    if (label === `${GEN_CODE} portfolio`) await screenshot(ctx.page, 'phone-portfolio.png', false);
    ctx.watcher.take();
  }
  await ctx.context.close();
}

async function errorPages(ctx) {
  const s = GEN_CODE;
  await visit(ctx, `/s/${s}/no/such/page`, '404 page', { status: 404 });
  await visit(ctx, `/s/NO-SUCH-STRATEGY`, 'unknown strategy', { status: 404 });
  const bad = await visit(ctx, `/s/${s}/portfolio?year=abc`, '400 page (year=abc)', { status: 400 });
  if (bad) {
    const text = await ctx.page.textContent('main');
    check(/year/.test(text), `400 page: does not name the parameter year: ${text.slice(0, 200)}`);
  }
  const unk = await visit(ctx, `/s/${s}/risks?colour=red`, '400 page (unknown parameter)', { status: 400 });
  if (unk) check(/colour/.test(await ctx.page.textContent('main')), '400 page: does not name colour');
  ctx.watcher.take();
}

// Hostile text: shown as text, never run or parsed as markup.
async function hostile(ctx) {
  const { page } = ctx;
  await page.goto(ctx.base + '/s/EVIL-1/projects/X.1');
  const h1 = await page.textContent('h1');
  check(h1.includes('<script>alert(1)</script>'), `hostile project: the h1 "${h1}" does not show the title as text`);
  await page.goto(ctx.base + '/s/EVIL-1/strategy');
  const txt = await page.textContent('main');
  check(txt.includes('<script>alert(1)</script>') && txt.includes('</h3><h1>spoof</h1>'),
        'hostile strategy page: the hostile titles are not shown as text');
  check(await page.locator('main h1').count() === 1, 'hostile strategy page: an injected h1');
  check(await page.locator('img[src="x"]').count() === 0, 'hostile strategy page: an injected img');
  ctx.watcher.take();
}

// Every internal link found on the pages answers without an error.
async function linkCheck(ctx) {
  // The pages of three strategies link to hundreds of places: a handful
  // means the link collection in watch() broke, not that all is well.
  check(links.size >= 100, `link check: only ${links.size} internal links were collected`);
  console.log(`browser: ${links.size} internal links collected`);
  let n = 0;
  for (const [href, from] of links) {
    if (n++ > 3000) break;
    const r = await ctx.context.request.get(ctx.base + href, { maxRedirects: 5 });
    check(r.status() < 400, `link ${href} (on ${from}) answered ${r.status()}`);
  }
  info(`${n} internal links checked`);
}

// Every /s/{s}... route of the table was visited by some check.
function routeCoverage(downloads) {
  const table = fs.readFileSync(path.join(SRC, 'src/web/routes.c'), 'utf8');
  // The record pages need a signed-in person: tests/browser/edit.mjs visits
  // them (and checks that it visited every one).
  const patterns = [...table.matchAll(/\{"(\/s\/\{s\}[^"]*)"/g)].map((m) => m[1])
    .filter((p) => !p.startsWith('/s/{s}/records'));
  check(patterns.length >= 12, `routes.c: only ${patterns.length} page routes found`);
  const seen = [...visited, ...downloads];
  for (const p of patterns) {
    const re = new RegExp('^' + p.replace(/[.]/g, '\\.').replace(/\{[a-z]+\}/g, '[^/]+') + '$');
    check(seen.some((u) => re.test(u)), `route ${p} was not visited by the browser suite`);
  }
}

// ---------------------------------------------------------------- main
const t0 = Date.now();
const srv = await startServer();
// Stopped from outside (ctest's timeout): take the server down too.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'])
  process.on(sig, () => { srv.proc.kill('SIGKILL'); process.exit(1); });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
let crashed = null;
try {
  const ctx = await newCtx(browser, srv.base, { width: 1280, height: 900 });

  // The list of strategies.
  await visit(ctx, '/', 'list of strategies');
  for (const d of docs)
    check(await ctx.page.locator(`main a[href="/s/${d.strategy.code}"]`).count() === 1,
          `list of strategies: no link to ${d.strategy.code}`);

  for (const doc of docs) await strategyPages(ctx, doc);
  for (const doc of docs) await navigation(ctx, doc.strategy.code);
  await keyboard(ctx, `/s/${GEN_CODE}`, 'keyboard on home');
  await keyboard(ctx, `/s/${GEN_CODE}/portfolio`, 'keyboard on the portfolio');
  await portfolio(ctx);
  await errorPages(ctx);
  await hostile(ctx);

  // Screenshots at 1280 wide of the pages a reader sees first.
  const G = `/s/${GEN_CODE}`;
  const ind = (GEN.indicators || [])[0]?.code;
  const rep = (GEN.reports || [])[0]?.year || GEN.strategy.first_year;
  for (const [name, url] of [['home.png', G], ['portfolio.png', `${G}/portfolio`],
                             ['project.png', `${G}/projects/${GEN.projects[0].code}`],
                             ['indicator.png', `${G}/indicators/${ind}`], ['risks.png', `${G}/risks`],
                             ['report.png', `${G}/reports/${rep}`],
                             ['demo-home.png', `/s/${docs[0].strategy.code}`]]) {
    const r = await ctx.page.goto(srv.base + url);
    if (!check(r.status() === 200, `screenshot ${name} (${url}): status ${r.status()}`)) continue;
    await screenshot(ctx.page, name);
    // The first 1,100 pixels too: what a reader sees before scrolling.
    const top = path.join(OUT, name.replace('.png', '-top.png'));
    await ctx.page.screenshot({ path: top, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1100 } });
  }
  ctx.watcher.take();

  const phoneUrls = [];
  for (const d of docs)
    for (const [n, sub] of [['home', ''], ['portfolio', '/portfolio'], ['strategy', '/strategy'],
                            ['indicators', '/indicators'], ['risks', '/risks'], ['services', '/services'],
                            ['expenditure', '/expenditure'], ['governance', '/governance'],
                            ['reports', '/reports'], ['project', `/projects/${d.projects[0].code}`]])
      phoneUrls.push([`${d.strategy.code} ${n}`, `/s/${d.strategy.code}${sub}`]);
  await phone(browser, srv.base, phoneUrls);

  await linkCheck(ctx);
  routeCoverage([...links.keys()].map((l) => l.split('?')[0]).filter((l) => /\.(csv|xlsx)$/.test(l)));
  await ctx.context.close();
} catch (e) {
  crashed = e;
  check(false, 'the suite stopped: ' + (e.stack || e));
} finally {
  await browser.close();
  await stopServer(srv);
}
if (moderate.size)
  console.log('browser: notes (moderate or minor axe findings, not failures): ' +
              [...moderate].map(([id, pages]) => `${id} (${pages.size} pages)`).join(', '));
console.log(`browser: screenshots in ${OUT}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed || crashed ? 1 : 0);

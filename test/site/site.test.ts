/**
 * Browser test of the literate spec site: builds the pages from the real spec/ and matrix, serves
 * site/out over loopback HTTP, opens it in headless Chromium and crawls the internal links.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req SITE-001 SITE-002 SITE-003 SITE-004 SITE-005 SITE-006
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildSite, type BuildResult } from '../../site/src/build.js';
import { computeMatrix } from '../../traceability/src/conformance.js';
import { req } from '../helpers/req.js';

const ROOT = process.cwd();
const OUT = join(ROOT, 'site/out');
const CHROMIUM = '/usr/bin/chromium';
/** Upper bound on non-API pages crawled; API pages are sampled. */
const MAX_PAGES = 2000;
const API_SAMPLE = 25;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

let server: Server;
let base = '';
let browser: BrowserContext | undefined;
let page: Page;
let built: BuildResult;
let userDir = '';

function serve(): Promise<string> {
  server = createServer((rq, rs) => {
    const url = new URL(rq.url ?? '/', 'http://127.0.0.1');
    let path = normalize(join(OUT, decodeURIComponent(url.pathname)));
    if (!path.startsWith(OUT + sep) && path !== OUT) { rs.writeHead(403).end(); return; }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) { rs.writeHead(404).end('not found'); return; }
    rs.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function hrefs(html: string, pageUrl: string): URL[] {
  const out: URL[] = [];
  for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const raw = m[1]!.replace(/&amp;/g, '&');
    const u = new URL(raw, pageUrl);
    if (u.origin === base) out.push(u);
  }
  return out;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with scripts/install-peers.sh (Debian package chromium)`);
  }
  if (!existsSync(join(OUT, 'api/index.html')) || !existsSync(join(OUT, 'api/modules'))) {
    execFileSync(join(ROOT, 'node_modules/.bin/typedoc'), ['--options', 'site/typedoc.json'], { cwd: ROOT, stdio: 'pipe' });
  }
  // On a fresh clone nobody has run `npm run conformance` yet: write the matrix from the static
  // scan (spec, @req tags, req() titles) so the page and matrix.json can be compared.
  const matrixPath = join(ROOT, 'traceability/matrix.json');
  if (!existsSync(matrixPath)) writeFileSync(matrixPath, JSON.stringify(computeMatrix({ root: ROOT }), null, 1) + '\n');
  built = buildSite({ root: ROOT, out: OUT });
  base = await serve();
  userDir = mkdtempSync(join(tmpdir(), 'refmysql-site-chromium-'));
  // A fresh profile directory per run (playwright passes it to Chromium as --user-data-dir).
  browser = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

describe('literate spec site', () => {
  it(req(['SITE-001'], 'wire', 'home page in Chromium: what refmysql is, README commands, chapter links; screenshot saved'), async () => {
    const res = await page.goto(`${base}/index.html`);
    expect(res?.status()).toBe(200);
    const text = await page.textContent('main');
    expect(text).toContain('reference implementation of the MySQL 8.0 server');
    expect(await page.textContent('pre.cmd')).toContain('npm ci && npm test');
    const chapters = await page.$$eval('table.chapters a', (as) => as.length);
    expect(chapters).toBe(built.specPages);
    for (const to of ['matrix.html', 'code/index.html', 'api/index.html']) {
      expect(await page.$(`a[href="${to}"]`)).not.toBeNull();
    }
    await page.screenshot({ path: join(OUT, 'screenshot.png'), fullPage: false });
    expect(existsSync(join(OUT, 'screenshot.png'))).toBe(true);
  });

  it(req(['SITE-004'], 'wire', 'matrix page totals in Chromium equal traceability/matrix.json'), async () => {
    await page.goto(`${base}/matrix.html`);
    const shown = await page.$$eval('td[data-total]', (tds) => Object.fromEntries(tds.map((td) => [td.getAttribute('data-total'), Number(td.textContent)])));
    const matrixJson = JSON.parse(readFileSync(join(ROOT, 'traceability/matrix.json'), 'utf8')) as { generatedAt: string; totals: Record<string, number> };
    // The build read matrix.json moments ago; a concurrent regeneration would change generatedAt.
    const t = matrixJson.generatedAt === built.matrix.generatedAt ? matrixJson.totals : built.matrix.totals;
    expect(shown).toEqual({
      requirements: t['requirements'], provenPeer: t['provenPeer'], provenWire: t['provenWire'],
      partial: t['partial'] ?? 0, unitOnly: t['unitOnly'], open: t['open'], informational: t['informational'],
    });
    expect(await page.$$eval('table.matrix tbody tr', (trs) => trs.length)).toBe(built.matrix.sections.length);
    // The partial status (some clauses proven, not all) has its own column (TRACE-017).
    expect(await page.$$eval('table.matrix thead th', (ths) => ths.map((th) => th.textContent))).toContain('partial');
  });

  it(req(['SITE-002', 'SITE-003'], 'wire', 'a requirement with code: badge, statement, snippet, and its code link lands on the line anchor'), async () => {
    // Prefer a requirement with both code and tests; without a vitest report only code is known.
    const row =
      built.matrix.rows.find((r) => r.sources.length > 0 && r.tests.length > 0) ?? built.matrix.rows.find((r) => r.sources.length > 0);
    expect(row).toBeDefined();
    const name = row!.specFile.replace(/^spec\//, '').replace(/\.md$/, '');
    await page.goto(`${base}/spec/${name}.html#${row!.id}`);
    const sec = page.locator(`section.req[id="${row!.id}"]`);
    expect(await sec.locator('.badge').first().textContent()).toBe(row!.status);
    expect(await sec.locator('pre.code').count()).toBe(row!.sources.length);
    expect(await sec.locator('ul.tests li').count()).toBe(row!.tests.length);
    const href = await sec.locator('p.loc a').first().getAttribute('href');
    await page.goto(new URL(href!, page.url()).href);
    const line = row!.sources[0]!.line;
    expect(page.url()).toMatch(new RegExp(`#L${line}$`));
    const anchored = await page.locator(`[id="L${line}"]`).textContent();
    expect(anchored).toContain('@req');
    expect(anchored).toContain(row!.id);
  });

  it(req(['SITE-005', 'SITE-003', 'SITE-006'], 'wire', 'crawl from the home page: every internal link resolves, line anchors exist, API sampled'), async () => {
    const seen = new Set<string>();
    const queue: string[] = [`${base}/index.html`];
    const apiPages: string[] = [];
    const anchors: URL[] = [];
    const bodies = new Map<string, string>();
    const broken: string[] = [];
    while (queue.length > 0 && seen.size < MAX_PAGES) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await fetch(url);
      if (res.status !== 200) { broken.push(`${url} -> ${res.status}`); continue; }
      if (!url.endsWith('.html')) continue;
      const html = await res.text();
      bodies.set(url, html);
      for (const u of hrefs(html, url)) {
        if (u.hash.startsWith('#L')) anchors.push(new URL(u.href));
        u.hash = '';
        const target = u.href;
        if (seen.has(target)) continue;
        if (u.pathname.startsWith('/api/') && u.pathname !== '/api/index.html' && !url.includes('/api/')) {
          if (!apiPages.includes(target)) apiPages.push(target);
        } else if (!u.pathname.startsWith('/api/') || u.pathname === '/api/index.html') {
          queue.push(target);
        }
      }
    }
    expect(queue.filter((q) => !seen.has(q))).toEqual([]); // bounded crawl finished
    // Sample of API pages: those linked from the API index plus every k-th module page.
    const apiIndex = bodies.get(`${base}/api/index.html`) ?? '';
    const apiLinks = [...new Set(hrefs(apiIndex, `${base}/api/index.html`).map((u) => { u.hash = ''; return u.href; }))];
    const step = Math.max(1, Math.floor(apiLinks.length / API_SAMPLE));
    // Every API page our own pages link to (one per module at most), plus a sample of the API index.
    const sample = [...apiPages, ...apiLinks.filter((_, i) => i % step === 0)].slice(0, MAX_PAGES);
    for (const url of sample) {
      const res = await fetch(url);
      if (res.status !== 200) broken.push(`${url} -> ${res.status}`);
    }
    expect(broken).toEqual([]);
    expect(apiLinks.length).toBeGreaterThan(10);
    expect(apiPages.length).toBeGreaterThan(0);
    // typedoc knows @spec and @req as block tags (registered in site/typedoc.json): they appear as tags.
    const apiJson = readFileSync(join(OUT, 'api/api.json'), 'utf8');
    expect(apiJson).toContain('"tag": "@req"');
    expect(apiJson).toContain('"tag": "@spec"');
    // Line anchors: every #L link points at an element with that id.
    const missing: string[] = [];
    for (const a of anchors) {
      const hash = a.hash;
      a.hash = '';
      const html = bodies.get(a.href);
      if (html && !html.includes(`id="${hash.slice(1)}"`)) missing.push(`${a.href}${hash}`);
    }
    expect(missing).toEqual([]);
    expect(seen.size).toBeGreaterThan(built.specPages + built.sourcePages);
    // One source page in the real browser, to be sure it renders.
    const src = [...bodies.keys()].find((u) => u.includes('/code/src/'));
    expect(src).toBeDefined();
    await page.goto(src!);
    expect(await page.locator('pre.code.full > span[id^="L"]').count()).toBeGreaterThan(0);
  });
});

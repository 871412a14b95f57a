/**
 * One browser suite per e2e file: the real stack (harness), Debian's Chromium, a fresh page per
 * test that fails the test on any uncaught page error, and the moves every workspace test makes —
 * be someone, load a page, open a decision, read a diagram marker.
 */
import type { Browser, Page } from 'playwright-core';
import { apiPaths } from './api-paths';
import { launchBrowser } from './browser';
import { startHarness, UNIT_OF, type Harness } from './harness';

export interface BrowserSuite {
  h: Harness;
  p: ReturnType<typeof apiPaths>;
  page: Page;
  /** A decision of the housing department (zjj) with its proposal. */
  create(facts?: Record<string, boolean>, title?: string): Promise<string>;
  /** Be `username` in the browser: their session cookie (from the API's login), nobody else's. */
  signIn(username: string): Promise<void>;
  /** Load the workspace afresh at `hash` (a new page load re-reads the session). */
  visit(hash: string): Promise<void>;
  /** Open a decision and wait until it is drawn. */
  open(id: string, query?: string): Promise<void>;
  /** The class list of a diagram element (its markers). */
  markerOf(id: string): Promise<string | null>;
}

/** Register the suite's hooks (call at the top of a test file) and return what its tests use. */
export function browserSuite(name: string): BrowserSuite {
  let browser: Browser;
  const pageErrors: string[] = [];
  const s = {
    async create(facts: Record<string, boolean> = {}, title = '银川市农村人居环境整治提升实施方案') {
      const r = await s.h.api('POST', '/api/decisions', { title, ...UNIT_OF.zjj, category: 'public-policy', facts }, 'zjj');
      if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    },
    async signIn(username: string) {
      const { cookie } = await s.h.login(username);
      const [n, value] = cookie.split('=');
      await s.page.context().clearCookies();
      await s.page.context().addCookies([{ name: n, value, url: s.h.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
    },
    async visit(hash: string) {
      await s.page.goto('about:blank');
      await s.page.goto(`${s.h.baseUrl}/#${hash}`);
    },
    async open(id: string, query = '') {
      await s.visit(`/decisions/${id}${query}`);
      await s.page.waitForSelector('main[data-ready="true"]');
    },
    markerOf: (id: string) => s.page.getAttribute(`g.djs-element[data-element-id="${id}"]`, 'class'),
  } as BrowserSuite;

  beforeAll(async () => {
    s.h = await startHarness(name);
    s.p = apiPaths(s.h);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s.h?.close();
  });
  beforeEach(async () => {
    s.page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    s.page.on('pageerror', (e) => pageErrors.push(e.message));
    // Whatever the Content Security Policy blocks (an inline style, a data: image) fails the test too.
    s.page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
    pageErrors.length = 0;
    // about:blank (between visits) has no localStorage.
    await s.page.addInitScript(() => location.protocol.startsWith('http') && localStorage.setItem('juece.lang', 'zh'));
  });
  afterEach(async () => {
    await s.page.close();
    expect(pageErrors).toEqual([]);
  });
  return s;
}

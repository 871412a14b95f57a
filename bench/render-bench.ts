/**
 * The decision view in real Chromium: a fresh page per load in one warm browser, timed from
 * `page.goto` to `main[data-ready="true"]`, plus the page's own `data-render-ms`
 * (bpmn-js import + markers + panels, measured inside the page).
 */
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test/support/browser';
import { summarize, type Summary } from './stats';

export interface RenderResults {
  loads: number;
  viewport: { width: number; height: number };
  /** The first, unmeasured load (a cold browser), for reference. */
  coldWallMs: number;
  wallMs: Summary;
  renderMs: Summary;
  /** From navigation start to the diagram drawn with every status marker (the page's data-diagram-ms). */
  diagramMs: Summary;
  /** Navigation Timing, from navigation start: DOMContentLoaded end and load end (the app bundle is in). */
  domContentLoadedMs: Summary;
  loadMs: Summary;
  /** Diagram elements carrying a status marker (juece-*) on the last load. */
  markedElements: number;
  pageErrors: string[];
}

interface Load {
  wall: number;
  render: number;
  diagram: number;
  dcl: number;
  load: number;
  marked: number;
}

/** A desk's screen and a phone's (issue 13: the decision view at 1440×900 and at 390×844). */
export const DESK = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

async function loadOnce(browser: Browser, url: string, errors: string[], cookie: { name: string; value: string }, viewport: { width: number; height: number }): Promise<Load> {
  const page = await browser.newPage({ viewport, ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}) });
  try {
    await page.context().addCookies([{ ...cookie, url }]);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      localStorage.setItem('juece.lang', 'zh');
    });
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const wall = performance.now() - t0;
    const render = Number(await page.getAttribute('main', 'data-render-ms'));
    const diagram = Number(await page.getAttribute('main', 'data-diagram-ms'));
    const marked = await page.locator('g.djs-element[class*="juece-"]').count();
    const nav = await page.evaluate(() => {
      const n = window.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
    });
    return { wall, render, diagram, marked, ...nav };
  } finally {
    await page.close();
  }
}

export async function measureRender(baseUrl: string, decisionId: string, loads: number, cookie: { name: string; value: string }, viewport = DESK): Promise<RenderResults> {
  const url = `${baseUrl}/#/decisions/${decisionId}`;
  const browser = await launchBrowser();
  try {
    const errors: string[] = [];
    const cold = await loadOnce(browser, url, errors, cookie, viewport);
    const runs: Load[] = [];
    for (let i = 0; i < loads; i++) runs.push(await loadOnce(browser, url, errors, cookie, viewport));
    const of = (k: keyof Load) => summarize(runs.map((r) => r[k]));
    return {
      loads,
      viewport,
      coldWallMs: Math.round(cold.wall),
      wallMs: of('wall'),
      renderMs: of('render'),
      diagramMs: of('diagram'),
      domContentLoadedMs: of('dcl'),
      loadMs: of('load'),
      markedElements: runs[runs.length - 1].marked,
      pageErrors: [...new Set(errors)],
    };
  } finally {
    await browser.close();
  }
}

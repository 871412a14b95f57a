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
  /** The first, unmeasured load (a cold browser), for reference. */
  coldWallMs: number;
  wallMs: Summary;
  renderMs: Summary;
  /** Diagram elements carrying a status marker (juece-*) on the last load. */
  markedElements: number;
  pageErrors: string[];
}

async function loadOnce(browser: Browser, url: string, errors: string[]): Promise<{ wall: number; render: number; marked: number }> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  try {
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      localStorage.setItem('juece.lang', 'zh');
      localStorage.setItem('juece.actor', '基准测试');
    });
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const wall = performance.now() - t0;
    const render = Number(await page.getAttribute('main', 'data-render-ms'));
    const marked = await page.locator('g.djs-element[class*="juece-"]').count();
    return { wall, render, marked };
  } finally {
    await page.close();
  }
}

export async function measureRender(baseUrl: string, decisionId: string, loads: number): Promise<RenderResults> {
  const url = `${baseUrl}/#/decisions/${decisionId}`;
  const browser = await launchBrowser();
  try {
    const errors: string[] = [];
    const cold = await loadOnce(browser, url, errors);
    const wall: number[] = [];
    const render: number[] = [];
    let marked = cold.marked;
    for (let i = 0; i < loads; i++) {
      const r = await loadOnce(browser, url, errors);
      wall.push(r.wall);
      render.push(r.render);
      marked = r.marked;
    }
    return { loads, coldWallMs: Math.round(cold.wall), wallMs: summarize(wall), renderMs: summarize(render), markedElements: marked, pageErrors: [...new Set(errors)] };
  } finally {
    await browser.close();
  }
}

/**
 * The workspace shows that a decision's audit trail proves itself: 审计记录完整性：已验证（SM3）
 * above the timeline, and — when an event has been altered in the store — the chain as broken,
 * naming the link; at 390 px wide as at desktop width. The proof bundle is one click away.
 */
import type { Page } from 'playwright-core';
import { decisionChain } from '../../activities/audit-hash';
import { snap } from '../support/browser';
import { eventually } from '../support/eventually';
import type { Harness } from '../support/harness';
import { browserSuite } from '../support/workspace-page';

const suite = browserSuite('e2e-integrity');
let h: Harness;
let page: Page;
beforeAll(() => void (h = suite.h));
beforeEach(() => void (page = suite.page));

test('a decision’s audit tab shows its chain verified (SM3), then broken at the altered link', async () => {
  const id = await suite.create();
  await suite.p.act(id, 'initiation', 'start');
  await eventually(async () => (await h.api('GET', `/api/decisions/${id}/audit/verify`)).body as { pending: number }, (v) => v.pending === 0);
  await suite.signIn('supervisor');
  await page.setViewportSize({ width: 390, height: 900 });
  await suite.open(id);
  const badge = page.locator('.timeline .integrity');
  await badge.locator('strong', { hasText: '审计记录完整性：已验证（SM3）' }).waitFor();
  expect(await badge.getAttribute('data-integrity')).toBe('verified');
  expect(await badge.locator('a.proof-download').getAttribute('href')).toBe(`/api/decisions/${id}/proof`);
  // Nothing overflows the narrow screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snap(page, 'integrity-verified-390');

  // Someone edits the second event in the store: the workspace names the link.
  const link = (await h.deps.models.AuditLink.findById(`${decisionChain(id)}#2`).lean())!;
  await h.deps.models.AuditEvent.collection.updateOne({ _id: link.ref.slice('audit_events/'.length) } as never, { $set: { actor: '某人 (someone)' } });
  await page.setViewportSize({ width: 1500, height: 1000 });
  await suite.open(id);
  await badge.locator('strong', { hasText: '审计记录完整性：链条断裂' }).waitFor();
  expect(await badge.getAttribute('data-integrity')).toBe('broken');
  expect(await badge.locator('.broken-link').textContent()).toContain('第2环');
  expect(await badge.locator('.broken-link').textContent()).toContain('actor');
  await snap(page, 'integrity-broken');
});

/**
 * The statute catalogue (definitions/statute.ts) is the one place the law's words live: every
 * reason has both texts, an article and a class; every conditional step has its question and
 * grounds; the labels the UI shows are the catalogue's, not copies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CATEGORY_LABELS, labelOf, VALUE_LABELS } from '../../definitions/labels';
import { APPLICABILITY, CONDITIONAL_KINDS, GROUNDS, KINDS, REASONS, REFUSAL_CLASSES, ROLE_LABELS, STEP_KINDS, USER_ROLES, reasonOf, type ReasonCode } from '../../definitions/statute';
import { RECORD_SCHEMAS } from '../../workflows/records';

const ROOT = path.resolve(__dirname, '..', '..');
const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

test('every reason code has a Chinese and an English text, an article and a class', () => {
  for (const [code, r] of Object.entries(REASONS)) {
    if (code === 'INVALID_FIELD') continue; // carries a field message from elsewhere
    expect([code, hasHan(r.zh)]).toEqual([code, true]);
    expect([code, r.en.length > 10 && !hasHan(r.en.replace(/\{\w+\}/g, ''))]).toEqual([code, true]);
    expect([code, /Decree 713|Regulation|\{article\}/.test(r.article)]).toEqual([code, true]);
    expect(REFUSAL_CLASSES).toContain(r.class);
  }
});

test('placeholders are the same in both languages, and a reason fills them', () => {
  for (const [code, r] of Object.entries(REASONS)) {
    const names = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect([code, names(r.zh)]).toEqual([code, names(r.en)]);
  }
  const filled = reasonOf('REVIEW_PERIOD_TOO_SHORT' as ReasonCode, { submittedOn: '2026-11-02', opinionOn: '2026-11-04', days: 2, note: '' });
  expect(filled.zh).toBe('合法性审查时间一般不少于7个工作日：2026-11-02送审至2026-11-04仅2个工作日；少于7个工作日须记录理由。');
  expect(reasonOf('STEP_ALREADY_DONE', { article: 'Decree 713 Art. 31', step: { zh: '向党委请示报告', en: 'Report to the Party committee' } }).en).toBe('“Report to the Party committee” is already completed.');
});

test('every step kind, role, and conditional step is named in both languages, with its article and grounds', () => {
  for (const k of STEP_KINDS) expect([k, hasHan(KINDS[k].zh), KINDS[k].en.length > 0, KINDS[k].article]).toEqual([k, true, true, expect.stringMatching(/^Decree 713 Arts?\. /)]);
  for (const r of USER_ROLES) expect([r, hasHan(ROLE_LABELS[r].zh)]).toEqual([r, true]);
  for (const k of CONDITIONAL_KINDS) {
    expect(APPLICABILITY[k].grounds.length).toBeGreaterThan(0);
    for (const g of APPLICABILITY[k].grounds) expect([g, hasHan(GROUNDS[g].zh), hasHan(GROUNDS[g].basis.zh)]).toEqual([g, true, true]);
  }
});

test('every record field and every choice a form offers has a label', () => {
  const fields = new Set<string>();
  const values = new Set<string>();
  const walk = (s: unknown) => {
    const def = (s as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return;
    if (def.type === 'object')
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        fields.add(k);
        walk(v);
      }
    if (def.type === 'enum') for (const v of Object.values(def.entries as Record<string, string>)) values.add(v);
    for (const key of ['innerType', 'element', 'in', 'out']) if (def[key]) walk(def[key]);
    if (Array.isArray(def.options)) def.options.forEach(walk);
  };
  Object.values(RECORD_SCHEMAS).forEach(walk);
  expect([...fields].filter((f) => !labelOf(f))).toEqual([]);
  expect([...values].filter((v) => !VALUE_LABELS[v] && !CATEGORY_LABELS[v])).toEqual([]);
});

test("the workspace's labels come from the catalogue, not from copies", () => {
  const i18n = fs.readFileSync(path.join(ROOT, 'ui', 'src', 'i18n.ts'), 'utf8');
  expect(i18n).toMatch(/from '\.\.\/\.\.\/definitions\/statute'/);
  expect(i18n).toMatch(/from '\.\.\/\.\.\/definitions\/labels'/);
  // No step kind, role or reason text typed again in the UI.
  for (const k of STEP_KINDS) expect([k, i18n.includes(`'${KINDS[k].zh}'`)]).toEqual([k, false]);
  for (const r of USER_ROLES) expect([r, i18n.includes(`'${ROLE_LABELS[r].zh}'`)]).toEqual([r, false]);
  for (const f of ['studyReport', 'adoptionReport', 'contingencyPlan']) expect([f, i18n.includes(`${f}: [`)]).toEqual([f, false]);
  // The server's labels, the notifications' and the guards' are the catalogue's too.
  for (const file of ['activities/people.ts', 'activities/notify.ts', 'workflows/guards.ts']) {
    const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect([file, /合法性审查机构'|STATUS_ZH|STEP_KIND_EN\s*[:=]/.test(src)]).toEqual([file, false]);
  }
});

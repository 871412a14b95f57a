/** The pure parts of notifications: keys, which steps are due soon on the holiday calendar, the e-mail text, back-off. */
import { dueSoonSteps, notificationId } from '../../activities/notify';
import { loadCalendar } from '../../definitions/calendars';
import { composeMail, retryDelay } from '../../server/mailer';
import type { DecisionSummary, OpenStep } from '../../workflows/model';

const cal = loadCalendar();

/** A summary with the legality review open and due on Friday 9 October 2026, right after the National Day holiday (1–7 October); `null` when it is closed. */
function view(review: Partial<OpenStep> | null): DecisionSummary {
  const step: OpenStep = { id: 'legality_review', name: '合法性审查', kind: 'legality-review', role: 'legality-review-body', status: 'enabled', visits: 1, enabledAt: 0, due: { date: '2026-10-09', approximate: false, notes: [] }, overdue: false, ...review };
  return { decisionId: 'D-1', meta: { title: 't', agency: 'a', draftingUnit: 'd', category: 'plan', createdBy: 'x' }, openSteps: review === null ? [] : [step] } as unknown as DecisionSummary;
}

describe('due-soon reminders', () => {
  it('counts working days, not calendar days: nine days before a step due after the National Day holiday, two working days are left', () => {
    expect(dueSoonSteps(cal, view({}), '2026-09-30', 3).map((s) => [s.step.id, s.due, s.left])).toEqual([['legality_review', '2026-10-09', 2]]);
  });

  it('stays silent while more working days are left, even across the Mid-Autumn holiday', () => {
    // 25–27 September are Mid-Autumn rest days: 28, 29, 30 September and 8, 9 October remain.
    expect(dueSoonSteps(cal, view({}), '2026-09-24', 4)).toEqual([]);
    expect(dueSoonSteps(cal, view({}), '2026-09-24', 5).map((s) => s.left)).toEqual([5]);
  });

  it('reminds on the due day itself, and never for an overdue, past-due or closed step', () => {
    expect(dueSoonSteps(cal, view({}), '2026-10-09', 3).map((s) => s.left)).toEqual([0]);
    expect(dueSoonSteps(cal, view({ status: 'active' }), '2026-10-08', 3).map((s) => s.left)).toEqual([1]);
    expect(dueSoonSteps(cal, view({}), '2026-10-10', 3)).toEqual([]);
    expect(dueSoonSteps(cal, view({ overdue: true }), '2026-09-30', 3)).toEqual([]);
    expect(dueSoonSteps(cal, view(null), '2026-09-30', 3)).toEqual([]);
    expect(dueSoonSteps(cal, view({ due: undefined }), '2026-09-30', 3)).toEqual([]);
  });
});

describe('notification keys', () => {
  it('name the decision, step, visit, kind and person, so each visit notifies each person once', () => {
    expect(notificationId('D-1', 'legality_review', 2, 'step-enabled', 'sfj')).toBe('D-1:legality_review:2:enabled:sfj');
    expect(notificationId('D-1', 'legality_review', 2, 'due-soon', 'sfj')).toBe('D-1:legality_review:2:due-soon:sfj');
  });
});

describe('e-mail', () => {
  const n = { decisionId: 'D-2026-0001', message: { zh: '"规划"的"合法性审查"已可办理。', en: 'Legality review of "规划" is ready.' } };

  it('puts the Chinese message in the subject, Chinese then English in the body, and links the decision', () => {
    const mail = composeMail(n, 'sfj@example.gov.cn', 'https://juece.example.gov.cn');
    expect(mail).toEqual({
      to: 'sfj@example.gov.cn',
      subject: '[决策] "规划"的"合法性审查"已可办理。',
      text: '"规划"的"合法性审查"已可办理。\n\nLegality review of "规划" is ready.\n\nhttps://juece.example.gov.cn/#/decisions/D-2026-0001\n',
    });
  });

  it('has no link without a public address, and no line break in the subject', () => {
    const mail = composeMail({ ...n, message: { zh: '一\r\n二', en: 'x' } }, 'a@b.cn', null);
    expect(mail.subject).toBe('[决策] 一 二');
    expect(mail.text).not.toContain('http');
  });

  it('backs off retries by doubling', () => {
    expect([1, 2, 3, 4].map((a) => retryDelay(a, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000]);
  });
});

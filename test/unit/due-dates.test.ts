/**
 * The legality review's due date as a decision's view shows it (and the desk lists it): 15
 * working days on the holiday calendar from the day the review opened, the opening day not
 * counted — across the National Day holiday and its make-up working Saturday.
 */
import { buildView } from '../../workflows/view';
import { clock, draft, newDecision, perform, resetClock } from '../support/driver';
import { sample, useFixedClock } from '../support/records';

/** 10:00 China time on a date. */
const at = (date: string) => Date.parse(`${date}T10:00:00+08:00`);
useFixedClock(clock);

/** A decision whose legality review opens on `opened`, reached through the acts a user takes. */
async function reviewOpenedOn(opened: string) {
  resetClock(at(opened));
  const ws = await newDecision();
  perform(ws, 'initiation', sample.initiation());
  draft(ws, 'v1');
  perform(ws, 'drafting', sample.drafting());
  perform(ws, 'public_participation', sample['public-participation']());
  return ws;
}

test('a review opened before Mid-Autumn and National Day is due 15 working days later, holidays skipped and the make-up Saturday counted', async () => {
  // Opened Thursday 24 September 2026. Not counted: 25–27 Sep (中秋节), 1–7 Oct (国庆节), weekends.
  // Counted: 28, 29, 30 Sep; 8, 9 Oct; Saturday 10 Oct (调休上班); 12–16 Oct; 19, 20, 21, 22 Oct → the 15th is 22 October.
  // (Weekends alone would have made it 15 October.)
  const ws = await reviewOpenedOn('2026-09-24');
  const view = buildView(ws, at('2026-09-24'));
  expect(view.elements.legality_review.status).toBe('enabled');
  expect(view.elements.legality_review.due).toMatchObject({ date: '2026-10-22', approximate: false });
  expect(view.elements.legality_review.overdue).toBeFalsy();
  expect(buildView(ws, at('2026-10-22')).elements.legality_review.overdue).toBeFalsy();
  expect(buildView(ws, at('2026-10-23')).elements.legality_review.overdue).toBe(true);
});

test('a review opened on a holiday counts from the day it opened, like any other', async () => {
  // Opened on 1 October (a holiday): 8, 9, 10 (make-up), 12–16, 19–23, 26, 27 → the 15th is 27 October.
  const ws = await reviewOpenedOn('2026-10-01');
  expect(buildView(ws, at('2026-10-01')).elements.legality_review.due).toMatchObject({ date: '2026-10-27', approximate: false });
});

/**
 * The legality review desk: decisions awaiting or in review, soonest due first, with the due date
 * and the working days left on the holiday calendar — read from the decisions' summaries in the
 * read model, never from their whole views.
 */
import { z } from 'zod';
import { workingDaysBetween, type WorkingCalendar } from '../workflows/calendar';
import type { DecisionSummary, OpenStep } from '../workflows/model';
import { chinaDate } from '../workflows/time';
import { route, type Route } from './route-kit';
import { scopeFilter, withinScope } from './scope';

/** Working days from today to the due date, negative once it has passed. */
export function remainingWorkingDays(calendar: WorkingCalendar, today: string, due: NonNullable<OpenStep['due']>) {
  const ahead = due.date >= today;
  const span = ahead ? workingDaysBetween(calendar, today, due.date) : workingDaysBetween(calendar, due.date, today);
  return { count: ahead ? span.count : -span.count, approximate: span.approximate };
}

export const deskRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/desk/legality-review',
    summary: "The legal adviser's desk: decisions awaiting or in legality review, soonest due first, with working-day due dates",
    access: { roles: ['legality-review-body', 'legal-adviser', 'supervisor'] },
    schemas: { query: z.object({ agency: z.string().max(200).optional() }) },
    handler: async ({ query }, { principal, deps }) => {
      const filter = withinScope(await scopeFilter(deps, principal!), { currentKinds: 'legality-review', ...(query.agency ? { agency: query.agency } : {}) });
      const docs = await deps.models.Decision.find(filter, { summary: 1 }).lean();
      const today = chinaDate(Date.now());
      const items = docs.flatMap((d) => {
        const summary = d.summary as DecisionSummary | undefined;
        const step = summary?.openSteps.find((s) => s.kind === 'legality-review');
        if (!summary || !step) return [];
        const due = step.due ?? null;
        const remaining = due ? remainingWorkingDays(deps.calendar, today, due) : null;
        return [
          {
            id: d._id,
            title: summary.meta.title,
            agency: summary.meta.agency,
            draftingUnit: summary.meta.draftingUnit,
            stepId: step.id,
            status: step.status,
            round: step.visits,
            openedAt: step.enabledAt,
            startedBy: step.startedBy ?? null,
            due,
            remainingWorkingDays: remaining?.count ?? null,
            approximate: Boolean(due?.approximate || remaining?.approximate),
            overdue: due ? due.date < today : false,
            currentDraftVersion: summary.drafts.current,
            lastReviewedDraftVersion: summary.drafts.lastReviewed,
          },
        ];
      });
      items.sort((a, b) => (a.due?.date ?? '9999').localeCompare(b.due?.date ?? '9999'));
      return { today, items };
    },
  }),
];

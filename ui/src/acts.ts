/**
 * Sending an act on the decision from a form: 补录's date goes on the URL while an import is
 * open, a refusal is shown in the form (field errors beside their fields, the statute's reasons
 * and 403s above the buttons), and an accepted act redraws the workspace from its result.
 */
import type { DecisionView } from '../../workflows/model';
import { api, ApiFailure } from './api';
import type { Workspace } from './context';
import { withQuery } from './dom';
import { errorLines } from './errors';
import type { Field, FieldError, GeneratedForm } from './form';

/** `path` with ?occurredOn= from the import's date field, when there is one. */
export function datedPath(path: string, dated: Field | null | undefined): string {
  return dated ? withQuery(path, { occurredOn: dated.get() as string | undefined }) : path;
}

/** Show a failed request in a form: field issues beside their fields, anything else above the buttons. */
export function showFailure(form: Pick<GeneratedForm, 'showErrors'>, err: unknown) {
  if (err instanceof ApiFailure && err.body.code === 'VALIDATION_FAILED' && Array.isArray(err.body.details)) form.showErrors(err.body.details as FieldError[]);
  else form.showErrors(errorLines(err).map((message) => ({ path: '', message })));
}

const isView = (x: unknown): x is DecisionView => Boolean(x && typeof x === 'object' && 'elements' in x && 'seq' in x);

/**
 * POST an act; true when accepted. `accepted` runs first (e.g. to let go of a finished form), then
 * the workspace redraws from the view the act returned (events and step actions return it), or
 * fetches it (opinions and files return their own record).
 */
export async function postAct(ws: Workspace, path: string, body: unknown, form: Pick<GeneratedForm, 'showErrors'>, dated?: Field | null, accepted?: () => void): Promise<boolean> {
  try {
    const r = await api<unknown>('POST', datedPath(path, dated), body);
    const view = isView(r) ? r : isView((r as { decision?: unknown })?.decision) ? (r as { decision: DecisionView }).decision : undefined;
    accepted?.();
    await ws.settle(view);
    return true;
  } catch (err) {
    showFailure(form, err);
    // A refused attempt is in the timeline now; nothing else changed.
    void ws.audited().catch(() => undefined);
    return false;
  }
}

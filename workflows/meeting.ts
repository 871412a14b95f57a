/**
 * The meeting record (Decree 713 Art. 30): members and the head from the roster on file, the
 * head speaking once and last, a quorum, reasons when the head departs from the majority, and
 * each speaker confirming their own statement — so a dissent in the minutes is the member's own
 * (the ground of Art. 38's relief from liability).
 */
import { reasonOf } from '../definitions/statute';
import type { Reason, WorkflowState } from './model';
import type { Minutes } from './records';

/** Default quorum: more than half of the members (the head included) attend. */
export const DEFAULT_QUORUM = 0.5;

/** What the statute says about these minutes against the roster on file. */
export function minutesReasons(ws: WorkflowState, minutes: Minutes): Reason[] {
  const roster = ws.meeting?.roster;
  if (!roster?.head) return [reasonOf('ROSTER_MISSING', { agency: ws.input.meta.agency })];
  const out: Reason[] = [];
  const onRoster = new Map([roster.head, ...roster.members].map((p) => [p.username, p.name]));
  const name = (u: string) => onRoster.get(u) ?? u;
  for (const u of new Set([...minutes.attendees, ...minutes.statements.map((s) => s.speaker)])) if (!onRoster.has(u)) out.push(reasonOf('NOT_ON_ROSTER', { name: u }));
  const attending = new Set(minutes.attendees);
  for (const s of minutes.statements) if (onRoster.has(s.speaker) && !attending.has(s.speaker)) out.push(reasonOf('SPEAKER_NOT_ATTENDING', { name: name(s.speaker) }));

  const head = roster.head.username;
  const headStatements = minutes.statements.filter((s) => s.speaker === head);
  if (headStatements.length !== 1 || minutes.statements[minutes.statements.length - 1].speaker !== head) out.push(reasonOf('HEAD_NOT_LAST'));

  const total = onRoster.size;
  const present = [...attending].filter((u) => onRoster.has(u)).length;
  const quorum = ws.input.policy?.quorum ?? DEFAULT_QUORUM;
  if (!(present > quorum * total)) {
    const pct = Math.round(quorum * 100);
    out.push(reasonOf('QUORUM_NOT_MET', { present, total, quorum: { zh: pct === 50 ? '半数以上' : `${pct}%以上`, en: pct === 50 ? 'more than half' : `more than ${pct}%` } }));
  }

  const members = minutes.statements.filter((s) => s.speaker !== head);
  const agree = members.filter((s) => s.position === 'agree').length;
  const disagree = members.filter((s) => s.position === 'disagree').length;
  const adopting = minutes.decision !== 'rejected';
  if ((adopting ? disagree > agree : agree > disagree) && !minutes.reasons) out.push(reasonOf('HEAD_AGAINST_MAJORITY_WITHOUT_REASONS', { agree, disagree }));
  return out;
}

/** Speakers who have not confirmed their statement in the current minutes, and those who disputed it. */
export function unconfirmedSpeakers(ws: WorkflowState): { pending: string[]; disputed: string[] } {
  const m = ws.meeting;
  if (!m?.minutes) return { pending: [], disputed: [] };
  const names = new Map([...(m.roster?.head ? [m.roster.head] : []), ...(m.roster?.members ?? [])].map((p) => [p.username, p.name]));
  const pending: string[] = [];
  const disputed: string[] = [];
  for (const u of new Set(m.minutes.statements.map((s) => s.speaker))) {
    const c = m.confirmations[u];
    if (!c || c.minutesVersion !== m.minutes.version) pending.push(names.get(u) ?? u);
    else if (!c.confirm) disputed.push(names.get(u) ?? u);
  }
  return { pending, disputed };
}

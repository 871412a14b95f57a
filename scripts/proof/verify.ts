/**
 * `npm run juece -- verify-decision <bundle.json>`: check a decision's proof bundle (server/proof.ts)
 * offline, trusting nothing of the system that exported it — only this checkout's workflow code,
 * statute catalogue and compiler. Each check gives a verdict of its own:
 *
 * 1. bundle     — the file is a proof bundle, and its history is this decision's workflow;
 * 2. definition — the BPMN's SHA-256 is the hash the decision started with, and it compiles to
 *                 exactly the procedure the history's input carries; its deployment link holds;
 * 3. replay     — the history replays against the workflow code (Temporal's determinism check);
 * 4. acts       — every act the history accepted passes the statutory guards again, re-run on the
 *                 replayed state at its own workflow time;
 * 5. statute    — the rules checked over the replayed records (scripts/proof/rules.ts);
 * 6. chain      — the decision's audit chain recomputed, SM3 and SHA-256, and each event's link
 *                 in the system chain;
 * 7. history    — every accepted event in the chain is the one the replayed workflow wrote, and
 *                 none is missing.
 */
import crypto from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { ALGORITHM_LABELS, ALGORITHMS, canonical, eventDigests, linkHash, refOf, verifyChain, type Link } from '../../activities/audit-hash';
import { compileBpmn } from '../../definitions/compiler';
import type { AuditEvent, DecisionInput } from '../../workflows/model';
import type { ProofBundle } from '../../server/proof';
import { replayWithProof } from './replay';
import { checkRules } from './rules';

export interface Verdict {
  check: 'bundle' | 'definition' | 'replay' | 'acts' | 'statute' | 'chain' | 'history';
  zh: string;
  en: string;
  ok: boolean;
  /** What failed, or what was checked. */
  detail: string[];
}

export interface VerifyOutcome {
  ok: boolean;
  verdicts: Verdict[];
  stats: { events: number; acts: number; records: number; refusals: number; statutoryRefusals: number; ms: Record<string, number> };
}

const isoOf = (v: unknown) => {
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
};
const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The workflow's input, from the history's first event. */
function startInput(history: History): { workflowType: string; input: DecisionInput } {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  if (!started || !payload) throw new Error('the history does not begin with the workflow’s start');
  return { workflowType: String(started.workflowType?.name), input: defaultPayloadConverter.fromPayload<DecisionInput>(payload) };
}

/** How many updates the history accepted (each one an act). */
const acceptedUpdates = (history: History) => (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;

/** Check a bundle; `code` is a prebuilt proof workflow bundle (tests reuse one). */
export async function verifyBundle(raw: unknown, o: { code?: string } = {}): Promise<VerifyOutcome> {
  const verdicts: Verdict[] = [];
  const ms: Record<string, number> = {};
  const stats: VerifyOutcome['stats'] = { events: 0, acts: 0, records: 0, refusals: 0, statutoryRefusals: 0, ms };
  const verdict = (check: Verdict['check'], zh: string, en: string, problems: string[], fine: string[] = []) => {
    verdicts.push({ check, zh, en, ok: problems.length === 0, detail: problems.length ? problems : fine });
    return problems.length === 0;
  };
  const done = () => ({ ok: verdicts.every((v) => v.ok), verdicts, stats });
  let t = Date.now();
  const lap = (k: string) => {
    ms[k] = Date.now() - t;
    t = Date.now();
  };

  // 1. The bundle and its history.
  const b = raw as ProofBundle;
  let history: History;
  let input: DecisionInput;
  {
    const problems: string[] = [];
    if (!isObj(raw) || b.format !== 'juece-proof/1') problems.push('not a juece-proof/1 bundle (format)');
    else if (!isObj(b.decision) || !isObj(b.definition) || !isObj(b.audit) || !Array.isArray(b.audit.links) || !Array.isArray(b.audit.events) || !isObj(b.history))
      problems.push('the bundle lacks decision, definition, history or audit');
    if (problems.length) {
      verdict('bundle', '证明文件格式', 'the proof bundle', problems);
      return done();
    }
    try {
      history = historyFromJSON(b.history);
      const start = startInput(history);
      input = start.input;
      if (start.workflowType !== 'decisionProcedure') problems.push(`history: the workflow is ${start.workflowType}, not decisionProcedure`);
      if (input.decisionId !== b.decision.id) problems.push(`history: it is decision ${input.decisionId}'s, the bundle names ${b.decision.id}`);
    } catch (err) {
      problems.push(`history: ${(err as Error).message}`);
    }
    if (!verdict('bundle', '证明文件与事件历史', 'the bundle and its event history', problems, [`decision ${b.decision.id}, ${history!.events?.length ?? 0} history events`])) return done();
  }
  lap('bundle');

  // 2. The definition version.
  {
    const problems: string[] = [];
    const doc = b.definition.document ?? {};
    const xml = typeof doc.xml === 'string' ? doc.xml : '';
    const xmlHash = sha256(xml);
    if (xmlHash !== input!.procedure.hash) problems.push(`definition: the BPMN's SHA-256 is ${xmlHash.slice(0, 16)}…, the decision started with ${input!.procedure.hash.slice(0, 16)}… — another definition version`);
    if (doc._id !== input!.procedure.hash || b.definition.hash !== input!.procedure.hash) problems.push('definition: the bundle names another definition version than the history');
    try {
      const compiled = await compileBpmn(xml);
      if (canonical(compiled) !== canonical(input!.procedure)) problems.push('definition: the BPMN does not compile to the procedure the decision ran');
    } catch (err) {
      problems.push(`definition: the BPMN does not compile: ${(err as Error).message.split('\n')[0]}`);
    }
    if (b.definition.deployment) problems.push(...linkProblems(b.definition.deployment, refOf('definitions', String(doc._id)), doc, 'deployment'));
    verdict('definition', '定义版本', 'the definition version', problems, [`${input!.procedure.key}@${input!.procedure.version}, SHA-256 ${input!.procedure.hash}`]);
  }
  lap('definition');

  // 3–5. Replay, the acts, the statute.
  const replay = await replayWithProof(history!, b.decision.workflowId ?? `decision-${b.decision.id}`, o.code);
  lap('replay');
  verdict('replay', '按工作流代码重放事件历史', 'the history replays against the workflow code', replay.error ? [`replay: ${replay.error}`] : [], [`${history!.events?.length ?? 0} events replayed`]);
  {
    stats.acts = replay.acts.length;
    const problems: string[] = [];
    const accepted = acceptedUpdates(history!);
    if (!replay.error && accepted !== replay.acts.length) problems.push(`acts: the history accepted ${accepted} updates, the replay handled ${replay.acts.length}`);
    for (const a of replay.acts.filter((x) => x.refused)) problems.push(`acts: ${a.name} ${describeAct(a.args[0])} at ${new Date(a.at).toISOString()} — the statute refuses it: ${a.refused!.message}`);
    const unchecked = replay.acts.filter((a) => !a.checked).length;
    verdict('acts', '每一办理行为均符合法定条件（重新执行法定校验）', 'every accepted act passes the statutory guards again', problems, [
      unchecked ? `${replay.acts.length} acts; the guards re-ran inside the replay (the validator registry was not reachable)` : `${replay.acts.length} acts re-checked`,
    ]);
  }
  {
    const rules = checkRules({ input: input!, acts: replay.acts, projections: replay.projections });
    stats.records = new Set(replay.projections.flatMap((p) => p.records.map((r) => r.seq))).size;
    const problems = rules.flatMap((r) => r.violations.map((v) => `${r.rule}: ${v.zh} — ${v.en}`));
    if (!replay.projections.length) problems.push('statute: the replay produced no records to check');
    verdict('statute', '重放结果符合决策条例', 'the replayed record complies with Decree 713', problems, rules.map((r) => `${r.rule} ${r.zh} — ${r.en}: ${r.checked} checked${r.indeterminate ? ` (${r.indeterminate} by the guards only)` : ''}`));
  }
  lap('statute');

  // 6. The audit chain.
  const events = new Map(b.audit.events.map((e) => [refOf('audit_events', String(e._id)), e]));
  stats.events = events.size;
  stats.refusals = b.audit.events.filter((e) => e.result === 'refused').length;
  stats.statutoryRefusals = b.audit.events.filter((e) => e.result === 'refused' && e.class === 'statutory').length;
  {
    const report = verifyChain(b.audit.chain, b.audit.links, (ref) => events.get(ref) ?? null, 'decision');
    const problems = report.problems.map((p) => `chain: ${p.en}`);
    const linked = new Set(b.audit.links.map((l) => l.ref));
    const pending = [...events].filter(([ref, e]) => !linked.has(ref) && e.sealed === false).length;
    for (const [ref, e] of events) if (!linked.has(ref) && e.sealed !== false) problems.push(`chain: event ${ref} is in no link — written outside the application, or its link removed`);
    if (b.audit.chain !== `decision:${b.decision.id}`) problems.push(`chain: the bundle's chain is ${b.audit.chain}`);
    if (b.audit.links.some((l) => l.chain !== b.audit.chain)) problems.push('chain: a link of another chain is mixed in');
    for (const l of b.audit.systemLinks ?? []) problems.push(...linkProblems(l, l.ref, events.get(l.ref), 'system'));
    verdict('chain', `审计记录完整性（${ALGORITHMS.map((a) => ALGORITHM_LABELS[a]).join('、')}）`, 'the audit chain (SM3 and SHA-256)', problems, [
      `${report.links} links, head ${report.head ? `#${report.head.seq} SM3 ${report.head.hash.sm3}` : 'none'}${pending ? `; ${pending} event(s) not yet sealed at export` : ''}`,
      `${(b.audit.systemLinks ?? []).length} events placed in the system chain`,
    ]);
  }
  lap('chain');

  // 7. The audit trail against the history.
  {
    const replayed = new Map<number, AuditEvent>();
    for (const p of replay.projections) for (const a of p.audit) replayed.set(a.seq, a);
    const problems: string[] = [];
    const stored = new Map<number, Record<string, unknown>>();
    for (const e of b.audit.events) if (e.result === 'accepted' && typeof e.seq === 'number') stored.set(e.seq, e);
    for (const [seq, a] of replayed) {
      const e = stored.get(seq);
      if (!e) {
        problems.push(`history: event ${seq} (${a.action}${a.stepId ? ` ${a.stepId}` : ''} by ${a.actor}) happened in the workflow but is not in the audit trail`);
        continue;
      }
      const fromHistory: Record<string, unknown> = { ...a, at: new Date(a.at).toISOString(), _id: `${b.decision.id}:${seq}` };
      const fromTrail: Record<string, unknown> = { ...e, at: isoOf(e.at) };
      for (const k of ['at', 'actor', 'action', 'stepId', 'summary', 'occurredOn', '_id'])
        if ((fromHistory[k] ?? null) !== (fromTrail[k] ?? null)) problems.push(`history: event ${seq}: ${k} is ${JSON.stringify(fromHistory[k] ?? null)} in the history, ${JSON.stringify(fromTrail[k] ?? null)} in the audit trail`);
    }
    for (const seq of stored.keys()) if (!replayed.has(seq)) problems.push(`history: the audit trail has accepted event ${seq}, which the workflow never wrote`);
    verdict('history', '审计记录与事件历史一致', 'the audit trail matches the event history', replay.error ? ['history: the replay failed, nothing to compare'] : problems, [`${replayed.size} workflow events matched`]);
  }
  lap('history');
  return done();
}

/** A link checked on its own: its hash from its parts, the event's digest, the event's copy. */
function linkProblems(l: Link, ref: string, doc: Record<string, unknown> | undefined, which: 'system' | 'deployment'): string[] {
  const out: string[] = [];
  const where = `${which === 'deployment' ? 'the deployment' : ref}'s system link #${l.seq}`;
  if (l.ref !== ref) out.push(`${where} seals ${l.ref}`);
  for (const alg of ALGORITHMS) if (linkHash(alg, l) !== l.hash[alg]) out.push(`${where}: hash.${alg} does not match the link's parts`);
  if (!doc) out.push(`${where}: the event is not in the bundle`);
  else {
    const d = eventDigests(doc);
    for (const alg of ALGORITHMS) if (d[alg] !== l.digest[alg]) out.push(`${where}: the event differs from what was sealed (digest.${alg})`);
    const copy = (doc.seal as Record<string, { seq?: number }> | undefined)?.system;
    if (copy && copy.seq !== l.seq) out.push(`${where}: the event's own copy says #${copy.seq}`);
  }
  return out;
}

function describeAct(arg: unknown): string {
  if (!isObj(arg)) return '';
  return [arg.action ?? arg.type, arg.stepId, arg.actor ? `by ${String(arg.actor)}` : ''].filter(Boolean).join(' ');
}

/** The verdicts as the CLI prints them: one line per check (Chinese, then English), then what failed. */
export function formatOutcome(out: VerifyOutcome): string {
  const lines: string[] = [];
  for (const v of out.verdicts) {
    lines.push(`${v.ok ? '✓' : '✗'} ${v.zh} — ${v.en}: ${v.ok ? '通过 passed' : '未通过 FAILED'}`);
    for (const d of v.detail.slice(0, v.ok ? 12 : 30)) lines.push(`    ${d}`);
    if (v.detail.length > 30) lines.push(`    … and ${v.detail.length - 30} more`);
  }
  lines.push(
    out.ok ? '结论：程序合法性证明成立。 Verdict: the procedure is proven as recorded.' : '结论：证明不成立，见上。 Verdict: NOT proven — see the failed checks above.',
    `(${out.stats.events} audit events, ${out.stats.acts} acts, ${out.stats.records} step records, ${out.stats.refusals} refused attempts of which ${out.stats.statutoryRefusals} statutory; ${Object.entries(out.stats.ms).map(([k, v]) => `${k} ${v} ms`).join(', ')})`,
  );
  return lines.join('\n');
}

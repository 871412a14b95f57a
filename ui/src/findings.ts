/**
 * Applicability as the office's reasoned finding (Decree 713 Art. 10): the initiation form's
 * designed part — for each conditional step 适用 / 不适用, and when not, only the grounds the law
 * names for that step, the reasons and, where the ground needs it, the document it rests on —
 * the facts about the matter, each step's finding in its panel, the office revising a finding
 * until the legality opinion, and the legality review body reopening a wrongly skipped step
 * (Art. 27(2)). The questions, grounds and refusal texts are the statute catalogue's.
 */
import { APPLICABILITY, CONDITIONAL_KINDS, FACT_OF_KIND, GROUNDS, KINDS, MATTER_FACT_KEYS, MATTER_FACTS, REASONS, reasonOf, type ConditionalKind, type GroundCode, type MatterFact } from '../../definitions/statute';
import type { ElementView, Finding } from '../../workflows/model';
import { postAct } from './acts';
import { datedField } from './backfill';
import type { Workspace } from './context';
import { clear, fmtTime, h } from './dom';
import { generateForm, textField, type Field, type FieldError } from './form';
import { colon, say, t, tArticle, tField, tHelp, tStatus } from './i18n';

const isConditional = (k: string | undefined): k is ConditionalKind => (CONDITIONAL_KINDS as readonly string[]).includes(k ?? '');
const ground = (g: string | undefined) => (g && g in GROUNDS ? GROUNDS[g as GroundCode] : undefined);

/** A step's status as the reader should read it: a step skipped on the office's finding says so. */
export function stepStatusLabel(e: ElementView): string {
  return (e.status === 'bypassed' || e.status === 'not-applicable') && e.finding && !e.finding.applies ? tStatus('not-applicable') : tStatus(e.status);
}

/** The finding in one line per part, for the diagram's tooltip. */
export function findingTip(f: Finding): string {
  const g = ground(f.ground);
  return [
    f.applies ? t('foundApplicable') : `${tStatus('not-applicable')}${colon()}${say(g, f.ground ?? '')}`,
    f.reasons ? `${tField('reasons')}${colon()}${f.reasons}` : '',
    f.basis ? `${tField('basis')}${colon()}${f.basis}` : '',
    `${f.by} · ${fmtTime(f.at)} · ${t(`source.${f.source}`)}${f.imported ? ` · ${t('imported')}` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Does the drafting unit's proposal (`view.facts`) say this step applies? */
function proposed(facts: Record<string, boolean>, kind: ConditionalKind): boolean {
  // Publication's own fact is not part of the proposal: a non-disclosable matter is not published either.
  const fact = kind === 'publication' ? 'nonDisclosable' : FACT_OF_KIND[kind].fact;
  return Boolean(facts[fact]) === (kind === 'publication' ? false : FACT_OF_KIND[kind].whenApplies);
}

/** The ground a "no" in the proposal implies, where the law names one that needs no document (else the office chooses). */
function impliedGround(kind: ConditionalKind): GroundCode | '' {
  const first = APPLICABILITY[kind].grounds[0];
  return GROUNDS[first].needsBasis ? '' : first;
}

function radio(name: string, value: string, label: string, checked: boolean) {
  const input = h('input', { type: 'radio', name, value });
  input.checked = checked;
  return { input, el: h('label', { class: 'choice' }, input, label) };
}

/**
 * One conditional step's finding as a form part: 适用 / 不适用; when not, the ground (only those the
 * law names for the step, each with its basis), the reasons and — for grounds that need one — the
 * document it rests on. In a revision the reasons are asked either way.
 */
function findingEditor(kind: ConditionalKind, path: string, init: { applies: boolean; ground?: string }, o: { revision?: boolean; proposal?: boolean } = {}): Field {
  const spec = APPLICABILITY[kind];
  const yes = radio(`${path}.applies`, 'true', tField('applies'), init.applies);
  const no = radio(`${path}.applies`, 'false', t('notApplies'), !init.applies);
  const select = h('select', { name: `${path}.ground` }, h('option', { value: '' }, t('chooseGround')), spec.grounds.map((g) => h('option', { value: g }, say(GROUNDS[g]))));
  select.value = init.ground ?? '';
  const groundBasis = h('div', { class: 'ground-basis small muted' });
  const reasons = h('textarea', { name: `${path}.reasons`, rows: 2 });
  const basis = h('input', { type: 'text', name: `${path}.basis` });
  const need = (txt: string) => h('span', { class: 'req', title: t('required') }, txt);
  const fieldOf = (sub: string, label: string, control: HTMLElement, required: boolean, extra?: HTMLElement) =>
    h('div', { class: 'field', 'data-path': `${path}.${sub}` }, h('label', { class: 'field-label' }, label, required ? need(' *') : null), control, extra ?? null);
  const basisField = fieldOf('basis', tField('basis'), basis, true);
  const reasonsField = fieldOf('reasons', tField('reasons'), reasons, true);
  const detail = h('div', { class: 'na-detail' }, fieldOf('ground', tField('ground'), select, true, groundBasis), o.revision ? null : reasonsField, basisField);
  const sync = () => {
    const na = no.input.checked;
    detail.hidden = !na;
    const g = ground(select.value);
    groundBasis.textContent = g ? `${tField('basis')}${colon()}${say(g.basis)}` : '';
    basisField.hidden = !g?.needsBasis;
  };
  for (const c of [yes.input, no.input, select]) c.addEventListener('change', sync);
  sync();
  const el = h(
    'fieldset',
    { class: 'finding-editor', 'data-path': path, 'data-kind': kind },
    h('legend', {}, say(KINDS[kind]), h('span', { class: 'article small muted' }, ` ${tArticle(spec.article)}`)),
    h('p', { class: 'question' }, say(spec)),
    o.proposal ? h('p', { class: 'proposal small muted' }, t('proposalSays', init.applies ? tField('applies') : t('notApplies'))) : null,
    kind === 'publication' && o.proposal ? h('p', { class: 'small muted' }, say(REASONS.FINDINGS_INCONSISTENT)) : null,
    h('div', { class: 'applies-choice' }, yes.el, no.el),
    detail,
    o.revision ? reasonsField : null,
  );
  const get = () => {
    if (!no.input.checked) return o.revision ? { applies: true, reasons: reasons.value.trim() || undefined } : { applies: true };
    const g = ground(select.value);
    return { applies: false, ground: select.value || undefined, reasons: reasons.value.trim() || undefined, ...(g?.needsBasis && basis.value.trim() ? { basis: basis.value.trim() } : {}) };
  };
  const validate = (): FieldError[] => {
    const out: FieldError[] = [];
    const tooShort = reasons.value.trim().length < 5;
    if (!no.input.checked) return o.revision && tooShort ? [{ path: `${path}.reasons`, message: t('reasonsRequired') }] : [];
    const g = ground(select.value);
    if (!g) out.push({ path: `${path}.ground`, message: t('chooseGround') });
    if (tooShort) {
      const r = reasonOf('FINDING_REASONS_MISSING', { step: KINDS[kind] });
      out.push({ path: `${path}.reasons`, message: r.zh, en: r.en });
    }
    if (g?.needsBasis && !basis.value.trim()) {
      const r = reasonOf('GROUND_BASIS_MISSING', { article: spec.article, ground: g, basis: g.basis });
      out.push({ path: `${path}.basis`, message: r.zh, en: r.en });
    }
    return out;
  };
  return { el, get, validate };
}

/** The initiation form's `applicability`: one finding per conditional step, pre-filled from the drafting unit's proposal. */
export function applicabilityField(ws: Workspace): Field {
  const facts = ws.view().facts as unknown as Record<string, boolean>;
  const kinds = CONDITIONAL_KINDS.filter((k) => Object.values(ws.view().elements).some((e) => e.kind === k));
  const editors = kinds.map((k) => {
    const applies = proposed(facts, k);
    return [k, findingEditor(k, `applicability.${k}`, { applies, ground: applies ? undefined : impliedGround(k) }, { proposal: true })] as const;
  });
  return {
    el: h('fieldset', { class: 'group applicability', 'data-path': 'applicability' }, h('legend', {}, tField('applicability')), h('p', { class: 'help small muted' }, tHelp('applicability')), editors.map(([, e]) => e.el)),
    get: () => Object.fromEntries(editors.map(([k, e]) => [k, e.get()])),
    validate: () => editors.flatMap(([, e]) => e.validate!()),
  };
}

/** The initiation form's `matter`: the facts about the matter, pre-filled from the proposal. */
export function matterField(ws: Workspace): Field {
  const facts = ws.view().facts as unknown as Record<string, boolean>;
  const boxes = MATTER_FACT_KEYS.map((k) => {
    const cb = h('input', { type: 'checkbox', name: `matter.${k}` });
    cb.checked = Boolean(facts[k]);
    return [k, cb] as const;
  });
  return {
    el: h(
      'fieldset',
      { class: 'group matter', 'data-path': 'matter' },
      h('legend', {}, tField('matter')),
      boxes.map(([k, cb]) => h('label', { class: 'field inline', 'data-path': `matter.${k}` }, cb, say(MATTER_FACTS[k]), h('span', { class: 'small muted' }, ` ${tArticle(MATTER_FACTS[k].article)}`))),
    ),
    get: () => Object.fromEntries(boxes.map(([k, cb]) => [k, cb.checked])),
  };
}

/** Has a legality review given its opinion (then the office can no longer change the findings)? */
const findingsLocked = (ws: Workspace) => Object.values(ws.view().elements).some((e) => e.kind === 'legality-review' && e.status === 'completed');
const reviewOpen = (ws: Workspace) => Object.values(ws.view().elements).some((e) => e.kind === 'legality-review' && (e.status === 'enabled' || e.status === 'active'));
const skipped = (e: ElementView) => e.status === 'bypassed' || e.status === 'not-applicable' || (e.status === 'locked' && e.finding?.applies === false);

/** A finding as the panel shows it. */
function findingDetails(f: Finding): HTMLElement {
  const g = ground(f.ground);
  return h(
    'div',
    { class: `finding ${f.applies ? 'applies' : 'na'}`, 'data-source': f.source },
    h('p', { class: 'finding-verdict' }, f.applies ? t('foundApplicable') : tStatus('not-applicable')),
    g ? h('p', { class: 'finding-ground' }, h('strong', {}, say(g)), h('span', { class: 'small muted' }, `（${say(g.basis)}）`)) : null,
    f.reasons ? h('p', {}, `${tField('reasons')}${colon()}${f.reasons}`) : null,
    f.basis ? h('p', {}, `${tField('basis')}${colon()}${f.basis}`) : null,
    h('p', { class: 'small muted finding-by' }, `${f.by} · ${fmtTime(f.at)} · ${t(`source.${f.source}`)}`, f.imported ? h('span', { class: 'chip imported' }, t('imported')) : null),
  );
}

/** A conditional step's finding in its panel, with the office's revision and the review body's reopening. */
export function findingBox(ws: Workspace, e: ElementView): HTMLElement | null {
  if (!isConditional(e.kind)) return null;
  const kind = e.kind;
  const spec = APPLICABILITY[kind];
  const slot = h('div', { class: 'finding-form' });
  const open = (title: string, fields: Field[], path: string, body: (v: Record<string, unknown>) => unknown, label: string) => {
    ws.hold(true);
    const dated = datedField(ws);
    const form = generateForm({ type: 'object', properties: {} }, label, async () => void (await postAct(ws, path, body({}), form, dated)), {
      lead: [dated, ...fields],
      onCancel: () => ws.hold(false),
    });
    clear(slot, h('h4', {}, title), form.el);
  };
  const revise = () => {
    const current = e.finding!;
    const editor = findingEditor(kind, 'revision', { applies: !current.applies, ground: current.applies ? impliedGround(kind) : undefined }, { revision: true });
    open(t('reviseFinding'), [editor], `/api/decisions/${ws.id}/findings`, () => ({ kind, ...(editor.get() as object) }), t('reviseFinding'));
  };
  const reopen = () => {
    const reasons = textField('reasons', tField('reasons'), { required: true, long: true, min: 5 });
    open(t('reopenStep'), [reasons], `/api/decisions/${ws.id}/reopen`, () => ({ stepId: e.id, reasons: reasons.get() }), t('reopenStep'));
  };
  const office = ws.may(['secretariat']) && e.finding;
  const buttons = [
    office && !findingsLocked(ws) ? h('button', { type: 'button', class: 'revise-finding', onclick: revise }, t('reviseFinding')) : null,
    ws.may(['legality-review-body']) && skipped(e) && reviewOpen(ws) ? h('button', { type: 'button', class: 'reopen-step', onclick: reopen }, t('reopenStep')) : null,
  ].filter(Boolean);
  return h(
    'section',
    { class: 'finding-box', 'data-kind': kind },
    h('h3', {}, tField('applicability'), h('span', { class: 'article small muted' }, ` ${tArticle(spec.article)}`)),
    h('p', { class: 'question small' }, say(spec)),
    e.finding ? findingDetails(e.finding) : h('p', { class: 'muted' }, t('noFindingYet')),
    office && findingsLocked(ws) ? h('p', { class: 'small muted finding-locked' }, say(REASONS.FINDING_LOCKED)) : null,
    buttons.length ? h('div', { class: 'buttons' }, buttons) : null,
    slot,
  );
}

/** Every finding at a glance in the initiation panel, and the office's revision of a fact about the matter. */
export function findingsOverview(ws: Workspace): HTMLElement | null {
  const v = ws.view();
  if (!Object.keys(v.findings).length) return null;
  const slot = h('div', { class: 'finding-form' });
  const reviseMatter = (k: MatterFact) => {
    ws.hold(true);
    const dated = datedField(ws);
    const now = v.matter[k]?.value ?? false;
    const form = generateForm(
      { type: 'object', properties: { value: { type: 'boolean' }, reasons: { type: 'string' } }, required: ['reasons'] },
      t('reviseMatter'),
      async (val) => void (await postAct(ws, `/api/decisions/${ws.id}/findings`, { matter: k, value: Boolean(val.value), reasons: val.reasons }, form, dated)),
      { initial: { value: !now }, lead: [dated], onCancel: () => ws.hold(false) },
    );
    clear(slot, h('h4', {}, say(MATTER_FACTS[k])), form.el);
  };
  const mayRevise = ws.may(['secretariat']) && !findingsLocked(ws);
  return h(
    'section',
    { class: 'findings-overview' },
    h('h3', {}, t('findingsOverview')),
    h(
      'ul',
      {},
      CONDITIONAL_KINDS.filter((k) => v.findings[k]).map((k) => {
        const f = v.findings[k]!;
        return h('li', { 'data-kind': k, title: findingTip(f) }, h('strong', {}, say(KINDS[k])), colon(), f.applies ? t('foundApplicable') : `${tStatus('not-applicable')}（${say(ground(f.ground), f.ground ?? '')}）`);
      }),
    ),
    h('h4', {}, tField('matter')),
    h(
      'ul',
      { class: 'matter-list' },
      MATTER_FACT_KEYS.map((k) =>
        h(
          'li',
          { 'data-matter': k },
          `${say(MATTER_FACTS[k])}${colon()}${v.matter[k]?.value ? t('yes') : t('no')}`,
          v.matter[k]?.reasons ? h('span', { class: 'small muted' }, ` · ${v.matter[k]!.reasons}`) : null,
          mayRevise ? h('button', { type: 'button', class: 'link revise-matter', onclick: () => reviseMatter(k) }, t('reviseFinding')) : null,
        ),
      ),
    ),
    slot,
  );
}

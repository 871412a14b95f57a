/**
 * The decision view: the decision's own definition version drawn with bpmn-js, a marker on
 * every element for its status, the executed path, who-and-when badges, lock badges with the
 * reasons, a side panel to act (each action offered only to the role the step names, inside the
 * decision's organisation, with the reason when not), the people attached, comments on drafts,
 * legal opinions, the timeline, and live updates.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { api, apiText, ApiFailure, upload } from './api';
import { clear, fmtTime, h } from './dom';
import { errorLines } from './errors';
import { generateForm, type JsonSchema } from './form';
import { commentThread, opinionsSection, participantsSection, type DecisionContext } from './people';
import { renderReviewAids } from './review';
import { canAct, DESK_ROLES, hasAny, NOBODY, type Permission, type Viewer } from './roles';

/** GET /api/decisions/:id: the live view plus what its reader may do. */
type Viewed = DecisionView & { viewer?: Viewer };
import type { DecisionView, Reason, StepRecord } from '../../workflows/model';
import { lang, t, tArticle, tCategory, tField, tKind, tReason, tRole, tStatus, tValue } from './i18n';

interface AuditItem {
  id: string;
  at: string;
  actor: string;
  action: string;
  stepId?: string;
  result: 'accepted' | 'refused';
  code?: string;
  summary: string;
  reasons?: (Reason | { path: string; message: string; en?: string })[];
}
interface Attachment {
  id: string;
  filename: string;
  size: number;
  draftVersion: number;
  uploadedAt: string;
  uploadedBy: string;
}

const LOCK_SVG =
  '<svg width="16" height="18" viewBox="0 0 16 18" aria-hidden="true"><rect x="1" y="8" width="14" height="9" rx="2" fill="#616e7c"/><path d="M4 8V5a4 4 0 0 1 8 0v3" fill="none" stroke="#616e7c" stroke-width="2"/></svg>';

const STATUSES = ['completed', 'active', 'enabled', 'locked', 'not-applicable', 'rework', 'bypassed', 'overdue'];
let schemasCache: Record<string, JsonSchema> | undefined;
let statuteCache: { articles: Record<string, string> } | undefined;

/** Who may upload attachments (server/attachment-routes.ts). */
const UPLOADERS = ['department', 'secretariat', 'legality-review-body', 'legal-adviser'];

/**
 * Render the workspace of one decision; returns a disposer that stops live updates.
 * `?step=` selects a step (the desk opens legality review); `?focus=opinion` goes to the opinion form.
 */
export async function renderDecision(root: HTMLElement, id: string, params: URLSearchParams = new URLSearchParams()): Promise<() => void> {
  const [view, xml] = await Promise.all([
    api<DecisionView>('GET', `/api/decisions/${id}`),
    apiText(`/api/decisions/${id}/definition.xml`),
    (async () => (schemasCache ??= await api<Record<string, JsonSchema>>('GET', '/api/schemas/records')))(),
    (async () => (statuteCache ??= await api<{ articles: Record<string, string> }>('GET', '/api/statute/decree-713')))(),
  ]);
  let state = view;
  /** What the reader may do here, from the server (a step action's reply does not carry it). */
  let access: Viewer = (view as Viewed).viewer ?? NOBODY;
  const asked = params.get('step');
  let selected: string | undefined = asked && view.elements[asked]?.kind ? asked : view.currentSteps[0];
  let formOpen = false;
  /** Set when the user types in the panel: live updates must not wipe what they are writing. */
  let dirty = false;

  const header = h('div', { class: 'decision-head' });
  const canvas = h('div', { class: 'canvas', id: 'canvas' });
  const panel = h('aside', { class: 'side-panel', oninput: () => (dirty = true) });
  const timeline = h('section', { class: 'timeline' });
  const files = h('section', { class: 'files' });
  const outline = h('nav', { class: 'outline', 'aria-label': 'steps' });
  const ctx: DecisionContext = {
    id,
    scope: () => state.meta,
    closed: () => state.status === 'completed',
    actAs: () => access.actAs,
  };
  const people = participantsSection(ctx, () => refresh(true));
  const opinions = opinionsSection(ctx, () => state.currentDraft?.version ?? state.drafts.at(-1)?.version ?? null);
  const threads = new Map<number, ReturnType<typeof commentThread>>();
  const live = h('span', { class: 'live', title: t('live') }, '● ', t('live'));
  clear(
    root,
    h('a', { href: '#/', class: 'back' }, `← ${t('back')}`),
    header,
    h('div', { class: 'workspace' }, h('div', { class: 'main-col' }, canvas, legend(), outline, files, people.el, opinions.el, timeline), panel),
  );

  const viewer = new NavigatedViewer({ container: canvas });
  const started = performance.now();
  const importStarted = performance.now();
  await viewer.importXML(xml);
  root.dataset.importMs = String(Math.round(performance.now() - importStarted));
  const canvasApi = viewer.get('canvas') as {
    zoom(k?: string | number): number;
    scrollToElement(el: unknown, padding?: number): void;
    addMarker(id: string, c: string): void;
    removeMarker(id: string, c: string): void;
  };
  const overlays = viewer.get('overlays') as { add(id: string, type: string, o: unknown): void; remove(f: { type: string }): void };
  const registry = viewer.get('elementRegistry') as { get(id: string): unknown; getAll(): { id: string; type: string }[] };
  // The whole procedure is wide: fit it when that stays legible, otherwise show the current step.
  if (canvasApi.zoom('fit-viewport') < 0.6 && selected && registry.get(selected)) {
    canvasApi.zoom(0.75);
    canvasApi.scrollToElement(registry.get(selected), 200);
  }
  const select = (stepId: string, scroll: boolean) => {
    selected = stepId;
    formOpen = false;
    if (scroll && registry.get(stepId)) canvasApi.scrollToElement(registry.get(stepId), 150);
    renderPanel();
    renderOutline();
  };
  (viewer.get('eventBus') as { on(e: string, f: (ev: { element: { id: string } }) => void): void }).on('element.click', (ev) => {
    if (state.elements[ev.element.id]?.kind) select(ev.element.id, false);
  });

  /** Every step in procedure order with its status: the diagram's plain-language twin. */
  const renderOutline = () =>
    clear(
      outline,
      h('h2', {}, t('steps')),
      h(
        'ol',
        {},
        Object.values(state.elements)
          .filter((e) => e.kind && (e.visits > 0 || e.kind !== 'revision'))
          .map((e) =>
            h(
              'li',
              { class: `${selected === e.id ? 'selected' : ''}`, 'data-step': e.id },
              h('button', { type: 'button', class: `link step-link juece-badge-${e.status}`, onclick: () => select(e.id, true) }, e.name),
              h('span', { class: `status juece-badge-${e.status}` }, tStatus(e.status)),
              e.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
            ),
          ),
      ),
    );

  const applyMarkers = () => {
    for (const el of registry.getAll()) {
      for (const s of STATUSES) canvasApi.removeMarker(el.id, `juece-${s}`);
      canvasApi.removeMarker(el.id, 'juece-taken');
      canvasApi.removeMarker(el.id, 'juece-selected');
    }
    overlays.remove({ type: 'juece' });
    for (const e of Object.values(state.elements)) {
      if (!registry.get(e.id)) continue;
      canvasApi.addMarker(e.id, `juece-${e.status}`);
      if (e.overdue) canvasApi.addMarker(e.id, 'juece-overdue');
      if (e.type !== 'userTask') continue;
      if (e.status === 'locked' && e.lockReasons.length) {
        const tip = e.lockReasons.map((r) => `${tReason(r)}（${tArticle(r.article)}）`).join('\n');
        const badge = h('div', { class: 'juece-lock', title: tip, 'data-step': e.id });
        badge.innerHTML = LOCK_SVG;
        overlays.add(e.id, 'juece', { position: { top: -10, right: 10 }, html: badge });
      }
      const who = e.status === 'active' ? e.startedBy : ['completed', 'rework', 'not-applicable'].includes(e.status) ? e.completedBy : undefined;
      const when = e.status === 'active' ? e.startedAt : e.completedAt;
      if (who) overlays.add(e.id, 'juece', { position: { bottom: 4, left: 0 }, html: h('div', { class: 'juece-who' }, `${who} ${fmtTime(when).slice(5, 10)}`) });
    }
    for (const f of state.takenFlows) if (registry.get(f)) canvasApi.addMarker(f, 'juece-taken');
    if (selected && registry.get(selected)) canvasApi.addMarker(selected, 'juece-selected');
  };

  const renderHeader = () =>
    clear(
      header,
      h('h1', {}, state.meta.title),
      h(
        'div',
        { class: 'meta' },
        h('span', { class: `status status-${state.status}` }, tStatus(state.status)),
        h('span', {}, `${t('agency')}：${state.meta.agency}`),
        h('span', {}, `${t('draftingUnit')}：${state.meta.draftingUnit}`),
        h('span', {}, `${t('category')}：${tCategory(state.meta.category)}`),
        h('span', { class: 'muted' }, `${state.procedure.name} v${state.procedure.version}`),
        live,
      ),
      h(
        'div',
        { class: 'facts' },
        Object.entries(state.facts)
          .filter(([, v]) => v)
          .map(([k]) => h('span', { class: 'fact' }, tField(k))),
      ),
    );

  const renderTimeline = async () => {
    const audit = await api<{ items: AuditItem[] }>('GET', `/api/decisions/${id}/audit`);
    clear(
      timeline,
      h('h2', {}, t('timeline')),
      h(
        'ol',
        { class: 'events' },
        audit.items
          .slice()
          .reverse()
          .map((a) =>
            h(
              'li',
              { class: `event ${a.result}`, 'data-result': a.result },
              h('span', { class: 'when' }, fmtTime(a.at)),
              h('span', { class: 'who' }, a.actor),
              h('span', { class: 'what' }, a.result === 'refused' ? `${t('refused')}：` : '', tValue(a.action), a.stepId ? ` · ${state.elements[a.stepId]?.name ?? a.stepId}` : ''),
              a.result === 'refused'
                ? h('ul', { class: 'why' }, (a.reasons ?? []).map((r) => h('li', {}, 'zh' in r ? `${tReason(r)}（${tArticle(r.article)}）` : `${tField(r.path.split('.').pop()!)}：${lang === 'en' && 'en' in r && r.en ? r.en : r.message}`)), !(a.reasons ?? []).length ? h('li', {}, a.summary) : null)
                : a.action === 'draft'
                  ? h('div', { class: 'summary muted' }, t('version', /version (\d+)/.exec(a.summary)?.[1] ?? '?'))
                  : null,
            ),
          ),
      ),
    );
    return audit.items.length;
  };

  const renderFiles = async () => {
    // Comment threads load side by side with the attachments.
    const current = state.currentDraft?.version ?? state.drafts.at(-1)?.version;
    for (const d of state.drafts) if (!threads.has(d.version)) threads.set(d.version, commentThread(ctx, d.version, d.version === current));
    const comments = Promise.all([...threads.values()].map((th) => th.refresh().catch(() => undefined)));
    let attachments: Attachment[] = [];
    try {
      attachments = (await api<{ items: Attachment[] }>('GET', `/api/decisions/${id}/attachments`)).items;
    } catch {
      /* attachments are optional to the view */
    }
    const input = h('input', { type: 'file', name: 'attachment' });
    const note = h('span', { class: 'muted small' });
    const mayUpload = state.status !== 'completed' && canAct(UPLOADERS, access.actAs, state.meta).ok;
    clear(
      files,
      h('h2', {}, t('drafts')),
      h(
        'ul',
        { class: 'drafts' },
        state.drafts.map((d) =>
          h(
            'li',
            { 'data-version': d.version },
            h('a', { href: `/api/decisions/${id}/drafts/${d.version}`, target: '_blank' }, t('version', d.version)),
            ` ${d.title} · ${d.addedBy} · ${fmtTime(d.addedAt)} · `,
            h('code', { title: d.hash }, d.hash.slice(0, 12)),
            attachments.filter((a) => a.draftVersion === d.version).map((a) => h('div', { class: 'attachment' }, '📎 ', h('a', { href: `/api/decisions/${id}/attachments/${a.id}` }, a.filename), ` (${Math.ceil(a.size / 1024)} KB, ${a.uploadedBy})`)),
            threads.get(d.version)!.el,
          ),
        ),
        state.drafts.length ? null : h('li', { class: 'muted' }, t('none')),
      ),
      state.currentDraft && mayUpload
        ? h(
            'div',
            { class: 'upload' },
            input,
            h(
              'button',
              {
                type: 'button',
                onclick: async () => {
                  const file = input.files?.[0];
                  if (!file) return;
                  try {
                    await upload(`/api/decisions/${id}/attachments?draftVersion=${state.currentDraft!.version}`, file);
                    note.textContent = '';
                  } catch (err) {
                    note.textContent = errorLines(err).join(' ');
                    return;
                  }
                  await renderFiles();
                },
              },
              `${t('upload')} → ${t('version', state.currentDraft.version)}`,
            ),
            note,
          )
        : null,
    );
    await comments;
  };

  const act = async (stepId: string, action: string, data: Record<string, unknown>, showErrors: (d: { path: string; message: string }[]) => void) => {
    try {
      state = await api<DecisionView>('POST', `/api/decisions/${id}/steps/${stepId}/${action}`, data);
      formOpen = false;
      dirty = false;
      await refresh();
    } catch (err) {
      if (err instanceof ApiFailure) {
        const d = err.body.details;
        if (err.body.code === 'VALIDATION_FAILED' && Array.isArray(d)) showErrors(d as { path: string; message: string }[]);
        // A 403 (not this role, not this organisation) shows where a 409 does, with the server's message.
        else showErrors(errorLines(err).map((message) => ({ path: '', message })));
        void renderTimeline();
      } else throw err;
    }
  };

  const renderPanel = () => {
    dirty = false;
    applyMarkers();
    const e = selected ? state.elements[selected] : undefined;
    if (!e || !e.kind) return clear(panel, h('p', { class: 'muted' }, t('selectStep')));
    const records = state.records.filter((r) => r.elementId === e.id);
    const body = h('div', { class: 'actions' });
    // The step's role, inside the decision's organisation; the server decides in the end.
    const verdict = access.steps[e.id];
    const may: Permission = !e.role || !verdict ? canAct(e.role ? [e.role] : [], access.actAs, state.meta) : verdict.allowed ? { ok: true } : { ok: false, reason: (lang === 'en' ? verdict.en : verdict.zh) ?? '' };
    const showForm = async (action: string) => {
      formOpen = true;
      let initial: Record<string, unknown> | undefined;
      let prefilled = false;
      if (action === 'complete' && e.kind === 'legality-review') {
        // The legal advisers' opinions on file (Art. 28) go into the review record.
        const advisers = await opinions
          .refresh()
          .then(() => opinions.forRecord())
          .catch(() => []);
        if (advisers.length) {
          initial = { legalAdviserOpinions: advisers };
          prefilled = true;
        }
      }
      if (action === 'complete' && e.kind === 'collective-decision') {
        // The roster on file: members, the head last (Art. 30), and the advisers sitting in.
        const roster = await api<{ attendees: string[]; speakers: { speaker: string; capacity: string }[] }>('GET', `/api/decisions/${id}/meeting`).catch(() => null);
        if (roster?.attendees.length) {
          initial = { attendees: roster.attendees, statements: roster.speakers };
          prefilled = true;
        }
      }
      let schema: JsonSchema;
      if (action === 'complete') schema = schemasCache![e.record!];
      else if (action === 'return') schema = { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] };
      else if (action === 'not-applicable') schema = { type: 'object', properties: { reasons: { type: 'string' }, basis: { type: 'string' } }, required: ['reasons'] };
      else schema = e.kind === 'legality-review' ? { type: 'object', properties: { submittedOn: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, note: { type: 'string' } } } : { type: 'object', properties: {} };
      const form = generateForm(schema, t(action), (value) => act(e.id, action, value, form.showErrors), () => ((formOpen = false), renderPanel()), initial);
      clear(body, h('h3', {}, t(action)), prefilled ? h('p', { class: 'form-note small' }, t(e.kind === 'collective-decision' ? 'prefilledRoster' : 'prefilledOpinions')) : null, form.el);
    };
    const buttons = e.allowedActions.map((a) =>
      h(
        'button',
        {
          class: a === 'complete' || a === 'start' ? 'primary' : '',
          'data-action': a,
          disabled: !may.ok,
          title: may.ok ? null : may.reason,
          onclick: () => (a === 'start' && e.kind !== 'legality-review' ? act(e.id, 'start', {}, (d) => clear(body, d.map((x) => h('div', { class: 'field-error' }, x.message)))) : showForm(a)),
        },
        t(a),
      ),
    );
    if (buttons.length) {
      body.append(h('div', { class: 'buttons' }, buttons));
      if (!may.ok) body.append(h('p', { class: 'why-disabled', 'data-step': e.id }, may.reason));
    } else body.append(h('p', { class: 'muted' }, t('noActions')));
    const draftStep = (e.kind === 'drafting' || e.kind === 'revision') && (e.status === 'enabled' || e.status === 'active') && canAct(['department'], access.actAs, state.meta).ok;
    // The reviewer's aids belong to legality review; loaded after the panel so it never waits on them.
    const aidsBox = e.kind === 'legality-review' && state.drafts.length && hasAny(DESK_ROLES) ? h('div', { class: 'aids-slot' }) : null;
    if (aidsBox) void renderReviewAids(id).then((box) => aidsBox.replaceChildren(box), () => aidsBox.replaceChildren());
    clear(
      panel,
      h('h2', {}, e.name),
      h('div', { class: 'step-meta' }, h('span', { class: `status juece-badge-${e.status}` }, tStatus(e.status)), e.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null, h('span', {}, tKind(e.kind)), h('span', {}, tRole(e.role ?? '')), h('span', {}, tArticle(`Decree 713 Art. ${e.article}`))),
      e.due ? h('p', { class: e.overdue ? 'due overdue' : 'due' }, `${t('due')}：${e.due.date}`, e.due.approximate ? t('approximate') : '') : null,
      e.lockReasons.length
        ? h('div', { class: 'lock-reasons' }, h('h3', {}, t('lockedBecause')), h('ul', {}, e.lockReasons.map((r) => h('li', { 'data-code': r.code }, tReason(r), h('span', { class: 'article' }, ` ${tArticle(r.article)}`)))))
        : null,
      body,
      aidsBox,
      draftStep ? draftForm(e.id) : null,
      records.length ? h('div', { class: 'records' }, h('h3', {}, t('records')), records.map(renderRecord)) : null,
      h('details', { class: 'statute', open: e.status === 'locked' }, h('summary', {}, `${t('statute')}：《重大行政决策程序暂行条例》第${e.article}条`), articles(e.article!).map((a) => h('p', {}, a))),
    );
    if (formOpen) return;
  };

  /** One draft form per step, kept across re-renders so typed text survives live updates. */
  let draftFormFor: { step: string; el: HTMLElement } | undefined;
  const draftForm = (step: string) => {
    if (draftFormFor?.step === step) return draftFormFor.el;
    const form = generateForm(
      { type: 'object', properties: { title: { type: 'string' }, content: { type: 'string' }, note: { type: 'string' } }, required: ['title', 'content'] },
      t('newDraft'),
      async (value) => {
        try {
          await api('POST', `/api/decisions/${id}/drafts`, value);
          dirty = false;
          draftFormFor = undefined;
          await refresh(true);
        } catch (err) {
          if (err instanceof ApiFailure) form.showErrors(Array.isArray(err.body.details) ? (err.body.details as { path: string; message: string }[]) : [{ path: '', message: err.message }]);
        }
      },
    );
    draftFormFor = { step, el: h('div', { class: 'draft-form' }, h('h3', {}, t('newDraft')), form.el) };
    return draftFormFor.el;
  };

  const renderRecord = (r: StepRecord) =>
    h('div', { class: 'record' }, h('div', { class: 'record-head' }, `${tValue(r.action)} · ${r.actor} · ${fmtTime(r.at)}${r.draftVersion ? ` · ${t('version', r.draftVersion)}` : ''}`), Object.keys(r.data).length ? renderValue(r.data) : null);

  const articles = (spec: string): string[] => {
    const [a, b] = spec.split('-').map((x) => parseInt(x, 10));
    const out: string[] = [];
    for (let n = a; n <= (b || a); n++) if (statuteCache!.articles[String(n)]) out.push(statuteCache!.articles[String(n)]);
    return out;
  };

  let lastAudit = 0;
  const refresh = async (refetch = false) => {
    if (refetch) {
      state = await api<DecisionView>('GET', `/api/decisions/${id}`);
      access = (state as Viewed).viewer ?? access;
    }
    renderHeader();
    if (!formOpen && !dirty) renderPanel();
    else applyMarkers();
    renderOutline();
    if (!root.dataset.diagramMs) root.dataset.diagramMs = String(Math.round(performance.now())); // since navigation began
    // What the reader may do comes with the view (viewer), so the sections load side by side.
    const [audits] = await Promise.all([renderTimeline(), renderFiles(), people.refresh().catch(() => undefined), opinions.refresh().catch(() => undefined)]);
    lastAudit = audits;
  };
  await refresh();
  if (params.get('focus') === 'opinion') {
    opinions.el.scrollIntoView({ block: 'start' });
    opinions.el.querySelector<HTMLTextAreaElement>('textarea[name="opinion"]')?.focus();
  }
  root.dataset.renderMs = String(Math.round(performance.now() - started));
  root.dataset.ready = 'true';

  // Live: someone else's action (or refused attempt) shows up without a reload.
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 1500));
      if (stopped) break;
      try {
        const next = await api<DecisionView>('GET', `/api/decisions/${id}`);
        const audit = await api<{ items: unknown[] }>('GET', `/api/decisions/${id}/audit`);
        live.classList.remove('offline');
        // Never step back to a state older than one our own action already returned.
        access = (next as Viewed).viewer ?? access;
        if (next.seq > state.seq || (next.seq === state.seq && audit.items.length !== lastAudit)) {
          state = next;
          await refresh();
        }
      } catch {
        live.classList.add('offline');
      }
    }
  };
  void poll();
  return () => {
    stopped = true;
    viewer.destroy();
  };
}

function renderValue(v: unknown): HTMLElement | string {
  if (Array.isArray(v)) return h('ol', {}, v.map((x) => h('li', {}, renderValue(x))));
  if (v && typeof v === 'object') return h('dl', {}, Object.entries(v).map(([k, x]) => [h('dt', {}, tField(k)), h('dd', {}, renderValue(x))]));
  if (typeof v === 'boolean') return v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  return typeof v === 'string' ? tValue(v) : String(v);
}

function legend() {
  return h('div', { class: 'legend' }, h('strong', {}, t('legend'), '：'), STATUSES.map((s) => h('span', { class: `legend-item juece-badge-${s}` }, tStatus(s))));
}

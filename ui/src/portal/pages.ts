/**
 * The portal's pages. Every text that came from a person — a draft, an opinion, an answer — is
 * put on the page as text (textContent through h()), never as HTML, so markup in it shows as
 * typed and runs nothing; the CSP forbids inline script besides.
 */
import { clear, fmtTime, h } from '../dom';
import { portalApi, PortalError } from './api';
import { opinionForm, type FormSpec } from './opinion-form';
import { t, tb, tChannel } from './text';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field
type Json = any;

const go = (hash: string) => (location.hash = hash);
const dl = (rows: [string, Node | string | null | undefined][]) =>
  h(
    'dl',
    { class: 'facts' },
    rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v as Node | string)]),
  );
const paragraphs = (text: string, cls = 'prose') => h('div', { class: cls }, text.split(/\n+/).map((line) => h('p', {}, line)));

function consultationCard(c: Json): HTMLElement {
  return h(
    'li',
    { class: `card consultation${c.open ? ' open' : ''}`, 'data-key': c.key },
    h('a', { href: `#/c/${encodeURIComponent(c.key)}` }, h('strong', { class: 'title' }, c.title)),
    h('div', { class: 'meta' }, `${c.agency} · ${c.draftingUnit}`),
    h(
      'div',
      { class: 'meta' },
      `${t('period')}：${c.opensOn} ${t('to')} ${c.closesOn} `,
      c.open ? h('span', { class: 'chip open' }, c.daysLeft > 0 ? t('daysLeft', { n: c.daysLeft }) : t('lastDay')) : h('span', { class: 'chip' }, t('closed')),
      c.shortened ? h('span', { class: 'chip warn' }, t('shortened')) : null,
    ),
  );
}

export async function homePage(root: HTMLElement) {
  const { body } = await portalApi('GET', '/api/portal/consultations');
  const open = body.items.filter((c: Json) => c.open);
  const closed = body.items.filter((c: Json) => !c.open);
  clear(
    root,
    receiptBox(),
    h('h2', {}, t('openNow')),
    open.length ? h('ul', { class: 'cards' }, open.map(consultationCard)) : h('p', { class: 'muted' }, t('none')),
    closed.length ? [h('h2', {}, t('closed')), h('ul', { class: 'cards' }, closed.map(consultationCard))] : null,
  );
}

function receiptBox(value = ''): HTMLElement {
  const input = h('input', { name: 'receipt', id: 'r-receipt', value, placeholder: t('receiptPlaceholder'), autocapitalize: 'characters', autocomplete: 'off', spellcheck: false });
  const form = h('form', { class: 'receipt-box' }, h('label', { for: 'r-receipt' }, t('navReceipt')), h('div', { class: 'row' }, input, h('button', { type: 'submit' }, t('lookup'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (input.value.trim()) go(`#/r/${encodeURIComponent(input.value.trim())}`);
  });
  return form;
}

export async function consultationPage(root: HTMLElement, key: string) {
  const { body: c } = await portalApi('GET', `/api/portal/consultations/${encodeURIComponent(key)}`);
  const formSlot = h('section', { class: 'form-slot' });
  if (c.open && c.form) formSlot.append(opinionForm(key, c.form as FormSpec, c.draft?.clauses ?? [], (receipt) => go(`#/r/${encodeURIComponent(receipt)}?new=1`)));
  else formSlot.append(h('p', { class: 'notice' }, t('closedNote')));
  clear(
    root,
    h('a', { href: '#/', class: 'back' }, `← ${t('back')}`),
    h('h1', { class: 'title' }, c.title),
    dl([
      [t('agency'), c.agency],
      [t('draftingUnit'), c.draftingUnit],
      [t('channel'), tChannel(c.channel)],
      [t('period'), h('span', {}, `${c.opensOn} ${t('to')} ${c.closesOn} `, c.open ? h('span', { class: 'chip open' }, c.daysLeft > 0 ? t('daysLeft', { n: c.daysLeft }) : t('lastDay')) : h('span', { class: 'chip' }, t('closed')))],
      [t('notice'), c.noticeUrl ? h('a', { href: c.noticeUrl, rel: 'noopener noreferrer', target: '_blank' }, c.noticeUrl) : null],
    ]),
    c.shorteningReason ? h('p', { class: 'notice shortened' }, t('shortenedWhy'), h('span', { class: 'reason' }, c.shorteningReason), t('art15')) : null,
    c.explanation ? h('section', {}, h('h2', {}, t('explanation')), paragraphs(c.explanation)) : null,
    c.draft
      ? h(
          'section',
          {},
          h('h2', {}, `${t('draft')}：${c.draft.title}`),
          h('details', { class: 'draft', open: true }, h('summary', {}, t('draft')), paragraphs(c.draft.content, 'prose draft-text')),
        )
      : null,
    formSlot,
  );
}

export async function receiptPage(root: HTMLElement, receipt: string, fresh: boolean) {
  clear(root, h('p', { class: 'muted' }, t('loading')));
  let o: Json;
  try {
    o = (await portalApi('GET', `/api/portal/opinions/${encodeURIComponent(receipt)}`)).body;
  } catch (err) {
    if (err instanceof PortalError && err.status === 404) return clear(root, receiptBox(receipt), h('p', { class: 'errors' }, err.message));
    throw err;
  }
  const answer = o.answer
    ? h('div', { class: `answer ${o.answer.decision}` }, h('strong', { class: 'decision' }, tb(o.answer.label)), h('p', { class: 'reason' }, `${t('reason')}：`, o.answer.reason), h('div', { class: 'meta' }, `${t('answeredAt')}：${fmtTime(o.answer.at)}`))
    : h('div', { class: 'answer pending' }, t('pending'));
  clear(
    root,
    fresh ? h('div', { class: 'success' }, h('strong', {}, t('thanks')), h('p', {}, t('keepReceipt'))) : null,
    h('div', { class: 'receipt-number' }, h('span', {}, t('receipt')), h('code', { class: 'receipt' }, o.receipt)),
    dl([
      [t('consultation'), o.consultation ? h('a', { href: `#/c/${encodeURIComponent(o.consultation.key)}` }, o.consultation.title) : null],
      [t('receivedAt'), fmtTime(o.receivedAt)],
      [t('clause'), tb(o.clauseLabel)],
      [t('attachments'), o.attachments.length ? o.attachments.map((a: Json) => a.filename).join('、') : null],
    ]),
    h('h2', {}, t('yourOpinion')),
    paragraphs(o.text, 'prose opinion-text'),
    h('h2', {}, t('status')),
    answer,
    o.final ? h('p', { class: 'muted' }, t('final')) : null,
    o.published ? h('p', {}, h('a', { href: `#/d/${encodeURIComponent(o.published.decisionId)}` }, t('published'))) : null,
    receiptBox(),
  );
}

export async function hearingsPage(root: HTMLElement) {
  const { body } = await portalApi('GET', '/api/portal/hearings');
  clear(
    root,
    h('h1', {}, t('navHearings')),
    body.items.length
      ? h(
          'ul',
          { class: 'cards' },
          body.items.map((x: Json) =>
            h(
              'li',
              { class: `card hearing${x.cancelled ? ' cancelled' : ''}`, 'data-key': x.key },
              h('strong', { class: 'title' }, x.title),
              h('div', { class: 'meta' }, `${x.agency} · ${x.draftingUnit} `, h('span', { class: 'chip' }, x.cancelled ? t('closed') : x.upcoming ? t('upcoming') : t('held'))),
              x.cancelled ? h('p', { class: 'notice' }, t('cancelledBecause'), x.cancelled) : null,
              dl([
                [t('hearingAt'), `${x.scheduledOn} ${x.startsAt}`],
                [t('place'), x.place],
                [t('selection'), x.selectionMethod],
                [t('participants'), x.participants.length ? h('ul', { class: 'plain' }, x.participants.map((p: Json) => h('li', {}, p.represents ? `${p.name}（${p.represents}）` : p.name))) : t('listPending')],
                [t('delivered'), x.materialsDeliveredOn],
              ]),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('none')),
  );
}

export async function decisionsPage(root: HTMLElement) {
  const { body } = await portalApi('GET', '/api/portal/decisions');
  clear(
    root,
    h('h1', {}, t('navDecisions')),
    body.items.length
      ? h(
          'ul',
          { class: 'cards' },
          body.items.map((d: Json) => h('li', { class: 'card', 'data-id': d.decisionId }, h('a', { href: `#/d/${encodeURIComponent(d.decisionId)}` }, h('strong', { class: 'title' }, d.title)), h('div', { class: 'meta' }, `${d.agency} · ${t('publishedOn')} ${d.publishedOn}`))),
        )
      : h('p', { class: 'muted' }, t('none')),
  );
}

export async function decisionPage(root: HTMLElement, id: string) {
  const { body: d } = await portalApi('GET', `/api/portal/decisions/${encodeURIComponent(id)}`);
  const pub = d.publication;
  clear(
    root,
    h('a', { href: '#/decisions', class: 'back' }, `← ${t('back')}`),
    h('h1', { class: 'title' }, d.title),
    dl([
      [t('agency'), d.agency],
      [t('draftingUnit'), d.draftingUnit],
      [t('publishedOn'), pub.publishedOn],
      [t('documentNumber'), pub.documentNumber],
    ]),
    d.text ? h('section', {}, h('h2', {}, t('decisionText')), paragraphs(d.text.content, 'prose draft-text')) : null,
    pub.adoptionExplanation ? h('section', {}, h('h2', {}, t('explanationOfAdoption')), paragraphs(pub.adoptionExplanation)) : null,
    d.publicAdoption
      ? h(
          'section',
          { class: 'adoption' },
          h('h2', {}, t('adoption')),
          d.publicAdoption.report ? paragraphs(d.publicAdoption.report) : null,
          d.publicAdoption.consultations.map((c: Json) =>
            h(
              'div',
              { class: 'consultation-adoption' },
              h('h3', {}, `${c.opensOn} ${t('to')} ${c.closesOn} · ${t('received', { n: c.received })}`),
              c.groups.map((g: Json) =>
                h(
                  'div',
                  { class: 'clause-group' },
                  h('h4', {}, tb(g.label)),
                  h('ul', { class: 'plain' }, g.opinions.map((o: Json) => h('li', {}, h('p', { class: 'opinion-text' }, o.text), o.answer ? h('p', { class: `answer ${o.answer.decision}` }, h('strong', {}, tb(o.answer.label)), '：', o.answer.reason) : null))),
                ),
              ),
            ),
          ),
        )
      : null,
    d.expertAdoption?.report ? h('section', {}, h('h2', {}, t('expertAdoption')), paragraphs(d.expertAdoption.report)) : null,
    pub.interpretation ? h('section', {}, h('h2', {}, t('interpretation')), paragraphs(pub.interpretation.record)) : null,
  );
}

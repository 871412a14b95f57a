/**
 * Forms generated from the API's own JSON Schemas (made from the zod schemas the API validates
 * with), so a form can never ask for less or other than the server accepts. Server-side errors
 * are shown beside the field whose path they name.
 */
import { h } from './dom';
import { lang, t, tField, tHelp, tValue } from './i18n';

/** A server-side problem at a field path, in both languages where the server gave both. */
export interface FieldError {
  path: string;
  message: string;
  en?: string;
}
export const sayError = (d: FieldError) => (lang === 'en' && d.en ? d.en : d.message);

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  pattern?: string;
  minItems?: number;
  minLength?: number;
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
}

/** A form field: its element and its value. A caller's own field may also check itself before submit. */
export interface Field {
  el: HTMLElement;
  get(): unknown;
  /** Problems to show beside the field instead of submitting (paths as the server would name them). */
  validate?(): FieldError[];
}

const DATE = /\\d\{4\}-\\d\{2\}-\\d\{2\}/;

function baseType(s: JsonSchema): string {
  if (s.anyOf) return baseType(s.anyOf.find((x) => x.type !== 'null') ?? {});
  if (Array.isArray(s.type)) return s.type.find((x) => x !== 'null') ?? 'string';
  if (s.enum) return 'enum';
  return s.type ?? 'string';
}

function label(name: string, required: boolean, s: JsonSchema) {
  const help = tHelp(name);
  return h(
    'label',
    { class: 'field-label', title: s.description ?? '' },
    tField(name),
    required ? h('span', { class: 'req', title: t('required') }, ' *') : null,
    help ? h('span', { class: 'help small muted' }, help) : null,
  );
}

/** `init` is the field's starting value (from generateForm's `initial`), else the schema default. */
function field(name: string, s: JsonSchema, path: string, required: boolean, init?: unknown): Field {
  const type = baseType(s);
  const wrap = (control: HTMLElement, get: () => unknown, inline = false): Field => ({
    el: h('div', { class: inline ? 'field inline' : 'field', 'data-path': path }, inline ? [control, label(name, required, s)] : [label(name, required, s), control]),
    get,
  });
  if (type === 'object') return objectField(name, s, path, required, init);
  if (type === 'array') return arrayField(name, s, path, required, init);
  if (type === 'enum' || s.enum) {
    const sel = h('select', { name: path }, required ? null : h('option', { value: '' }, '—'), (s.enum ?? []).map((v) => h('option', { value: String(v) }, tValue(String(v)))));
    if ((init ?? s.default) !== undefined) sel.value = String(init ?? s.default);
    return wrap(sel, () => (sel.value === '' ? undefined : sel.value));
  }
  if (type === 'boolean') {
    const cb = h('input', { type: 'checkbox', name: path });
    cb.checked = (init ?? s.default) === true;
    return wrap(cb, () => cb.checked, true);
  }
  if (type === 'number' || type === 'integer') {
    const inp = h('input', { type: 'number', name: path, step: type === 'integer' ? 1 : 'any' });
    if ((init ?? s.default) !== undefined) inp.value = String(init ?? s.default);
    return wrap(inp, () => (inp.value === '' ? undefined : Number(inp.value)));
  }
  if (s.pattern && DATE.test(s.pattern)) {
    const inp = h('input', { type: 'date', name: path });
    if (typeof init === 'string') inp.value = init;
    return wrap(inp, () => inp.value || undefined);
  }
  const long = /report|opinion|text|summary|statement|reasons?|plan|interpretation|response|result|content|studyReport|adoption/i.test(name);
  const inp = long ? h('textarea', { name: path, rows: 3 }) : h('input', { type: 'text', name: path });
  if (init !== undefined && init !== null) inp.value = String(init);
  return wrap(inp, () => (inp.value.trim() === '' ? undefined : inp.value));
}

/** An optional group left blank is omitted rather than sent half-empty. */
function blank(v: unknown): boolean {
  if (v === undefined || v === false || v === '') return true;
  if (Array.isArray(v)) return v.every(blank);
  if (v && typeof v === 'object') return Object.values(v).every(blank);
  return false;
}

function objectField(name: string, s: JsonSchema, path: string, required = true, init?: unknown, custom: Record<string, Field> = {}): Field {
  const start = init && typeof init === 'object' ? (init as Record<string, unknown>) : {};
  const fields = Object.entries(s.properties ?? {}).map(([k, sub]) => [k, custom[k] ?? field(k, sub, path ? `${path}.${k}` : k, (s.required ?? []).includes(k), start[k])] as const);
  const el = path
    ? h('fieldset', { class: 'group', 'data-path': path }, h('legend', {}, tField(name)), fields.map(([, f]) => f.el))
    : h('div', { class: 'group root', 'data-path': '' }, fields.map(([, f]) => f.el));
  return {
    el,
    get: () => {
      const out: Record<string, unknown> = {};
      for (const [k, f] of fields) {
        const v = f.get();
        if (v !== undefined) out[k] = v;
      }
      return !required && blank(out) ? undefined : out;
    },
    validate: () => fields.flatMap(([, f]) => f.validate?.() ?? []),
  };
}

function arrayField(name: string, s: JsonSchema, path: string, required: boolean, init?: unknown): Field {
  const items: Field[] = [];
  const list = h('div', { class: 'array-items' });
  const itemSchema = s.items ?? { type: 'string' };
  const add = (value?: unknown) => {
    const idx = items.length;
    const f = field(name, itemSchema, `${path}.${idx}`, true, value);
    const row = h('div', { class: 'array-item' }, f.el, h('button', { type: 'button', class: 'link remove', onclick: () => {
      const i = items.indexOf(entry);
      items.splice(i, 1);
      row.remove();
    } }, t('remove')));
    const entry = { el: row, get: f.get };
    items.push(entry);
    list.append(row);
  };
  const start = Array.isArray(init) ? init : [];
  for (const v of start) add(v);
  for (let i = start.length; i < Math.max(s.minItems ?? 0, required ? 1 : 0); i++) add();
  const el = h('div', { class: 'field array', 'data-path': path }, label(name, required, s), list, h('button', { type: 'button', class: 'link add', onclick: () => add() }, `+ ${t('add')}`));
  return { el, get: () => items.map((i) => i.get()).filter((v) => v !== undefined) };
}

let errorIds = 0;

/**
 * Show problems beside the fields whose paths they name (a `data-path` element, or the control
 * named by the path), each control marked invalid and described by its message; what names no
 * field goes to `general`. The first field with a problem takes the focus. Returns the unplaced.
 */
export function errorsBesideFields(form: HTMLElement, general: HTMLElement, details: FieldError[]): FieldError[] {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  general.replaceChildren();
  const unplaced: FieldError[] = [];
  let first: HTMLElement | null = null;
  for (const d of details) {
    const p = d.path.replace(/^(body|query)\.?/, '');
    let target: Element | null = null;
    for (let cut = p; cut !== ''; cut = cut.includes('.') ? cut.slice(0, cut.lastIndexOf('.')) : '') {
      target = form.querySelector(`[data-path="${CSS.escape(cut)}"]`) ?? form.querySelector(`[name="${CSS.escape(cut)}"]`)?.closest('label, .field') ?? null;
      if (target) break;
    }
    if (!target || p === '') {
      unplaced.push(d);
      continue;
    }
    const id = `error-${++errorIds}`;
    target.append(h('div', { class: 'field-error', id, 'data-error-for': p }, sayError(d)));
    const control = (form.querySelector(`[name="${CSS.escape(p)}"]`) as HTMLElement | null) ?? target.querySelector<HTMLElement>('input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', id);
      first ??= control;
    }
  }
  for (const d of unplaced) general.append(h('div', { class: 'field-error' }, d.path ? `${tField(d.path.split('.').pop()!)}：${sayError(d)}` : sayError(d)));
  first?.focus();
  return unplaced;
}

export interface GeneratedForm {
  el: HTMLFormElement;
  /** Show server-side errors ({ path, message }[]) beside their fields; returns the ones not placed. */
  showErrors(details: FieldError[]): FieldError[];
}

export interface FormOptions {
  /** Starting values (arrays get one item per value) before the user edits them. */
  initial?: Record<string, unknown>;
  /** The caller's own fields in place of the generated ones, by top-level key (e.g. choices from the roster). */
  custom?: Record<string, Field>;
  /** Fields ahead of the record's own that are not part of its value (e.g. 补录's 实际办理日期); they are validated too. */
  lead?: (Field | null)[];
  onCancel?: () => void;
}

/**
 * A form for `schema`; `submit` receives the value and may throw to keep the form open. Fields
 * that check themselves (`validate`) stop the submit and say why beside the field.
 */
export function generateForm(schema: JsonSchema, submitLabel: string, submit: (value: Record<string, unknown>) => Promise<void>, o: FormOptions = {}): GeneratedForm {
  const root = objectField('', schema, '', true, o.initial, o.custom);
  const lead = (o.lead ?? []).filter((f): f is Field => Boolean(f));
  const general = h('div', { class: 'form-errors', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h(
    'form',
    { class: 'record-form', novalidate: true },
    lead.map((f) => f.el),
    root.el,
    general,
    h('div', { class: 'form-actions' }, button, o.onCancel ? h('button', { type: 'button', class: 'cancel', onclick: o.onCancel }, t('cancel')) : null),
  );
  const showErrors = (details: FieldError[]) => errorsBesideFields(form, general, details);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const problems = [...lead.flatMap((f) => f.validate?.() ?? []), ...(root.validate?.() ?? [])];
    if (problems.length) return void showErrors(problems);
    button.disabled = true;
    void submit(root.get() as Record<string, unknown>).finally(() => (button.disabled = false));
  });
  return { el: form, showErrors };
}

/** A text field of the caller's own, with the label it gives (long text as a textarea); `min` characters when required. */
export function textField(path: string, labelText: string, o: { required?: boolean; long?: boolean; min?: number } = {}): Field {
  const input = o.long ? h('textarea', { name: path, rows: 3 }) : h('input', { type: 'text', name: path });
  const min = o.required ? (o.min ?? 1) : 0;
  return {
    el: h('div', { class: 'field', 'data-path': path }, h('label', { class: 'field-label' }, labelText, o.required ? h('span', { class: 'req', title: t('required') }, ' *') : null), input),
    get: () => input.value.trim() || undefined,
    validate: () => (input.value.trim().length < min ? [{ path, message: t('fieldRequired', labelText, min) }] : []),
  };
}

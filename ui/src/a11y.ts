/**
 * Every field labelled, wherever a part of the workspace drew it: a `.field-label` that does not
 * wrap its control is tied to the control beside it (`for` and an id), as parts are added to the
 * page. The parts keep drawing labels the simple way; the page stays accessible.
 */
const CONTROL = 'input:not([type=hidden]), select, textarea';
let next = 0;

/** Tie each unattached field label under `root` to its control. */
export function linkLabels(root: ParentNode) {
  for (const label of root.querySelectorAll<HTMLLabelElement>('label.field-label:not([for])')) {
    if (label.querySelector(CONTROL)) continue;
    const field = label.closest('.field, .comment-form, .field-group') ?? label.parentElement;
    if (!field) continue;
    // The control after the label (or the field's first), not one wrapped by another label.
    const after = [...field.querySelectorAll<HTMLElement>(CONTROL)].filter((c) => !c.closest('label') && (label.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
    const control = after[0] ?? field.querySelector<HTMLElement>(CONTROL);
    if (!control || control.closest('label')) continue;
    if (!control.id) control.id = `field-${++next}`;
    if (!document.querySelector(`label[for="${CSS.escape(control.id)}"]`)) label.htmlFor = control.id;
  }
}

/** Keep the labels tied as the page changes. */
export function watchLabels(root: HTMLElement) {
  linkLabels(root);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) linkLabels(n.parentElement ?? n);
  }).observe(root, { childList: true, subtree: true });
}

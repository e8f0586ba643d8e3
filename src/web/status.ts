import { byId } from "./dom.js";

/** Announces a short message in the page's live region (read out by screen readers). */
export function announce(message: string): void {
  const status = byId("status");
  // Clearing first makes a repeated message announced again.
  status.textContent = "";
  window.setTimeout(() => (status.textContent = message), 20);
}

/** Moves keyboard focus to an element (a heading or a result) so the next Tab starts there. */
export function focusOn(element: HTMLElement): void {
  if (!element.hasAttribute("tabindex") && !(element instanceof HTMLButtonElement || element instanceof HTMLInputElement)) {
    element.setAttribute("tabindex", "-1");
  }
  element.focus();
}

/** After paging: a button that just turned disabled loses the focus, so hand it to `fallback` (the other pager button). */
export function keepFocusAfterPaging(pressed: HTMLButtonElement, fallback: HTMLButtonElement): void {
  if (pressed.disabled && !fallback.disabled) fallback.focus();
}

import { byId } from "./dom.js";

/** How long an announcement stays on screen: long enough to read, short enough not to describe an older state. */
export const announcementMs = 5000;

let showing: number | undefined;
let clearing: number | undefined;

/**
 * Announces a short message in the page's live region (read out by screen
 * readers, shown briefly on screen) and clears it after `announcementMs`, so
 * that an old message never passes for the current state.
 */
export function announce(message: string): void {
  const status = byId("status");
  window.clearTimeout(showing);
  window.clearTimeout(clearing);
  // Clearing first makes a repeated message announced again.
  status.textContent = "";
  showing = window.setTimeout(() => {
    status.textContent = message;
    clearing = window.setTimeout(() => (status.textContent = ""), announcementMs);
  }, 20);
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

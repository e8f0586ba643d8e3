/** The element with this id; fails loudly when the page and the script disagree. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Creates an element with attributes and text or child nodes (never HTML: text stays text). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Shows or hides an element. */
export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}

/** Shows a message in an error element, or hides it when the message is empty. */
export function showError(element: HTMLElement, message: string): void {
  element.textContent = message;
  element.hidden = message === "";
}

/** Runs `dismiss` when the dialog's Cancel button is clicked or Escape closes it (a cancel too). */
export function onDialogDismiss(dialog: HTMLDialogElement, cancel: HTMLElement, dismiss: () => void): void {
  cancel.addEventListener("click", dismiss);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    dismiss();
  });
}

import { Code, ConnectError } from "@connectrpc/connect";
import { createApi, describeError, isUnauthenticated } from "./api.js";
import { byId, show, showError } from "./dom.js";
import { addEndMatchingAction } from "./end-matching-action.js";
import { createEndSessionsDialog } from "./end-sessions-dialog.js";
import { clearKey, loadKey, saveKey } from "./key-store.js";
import { createNotificationsView } from "./notifications-view.js";
import { createSessionsView } from "./sessions-view.js";
import { announce, focusOn } from "./status.js";

// The admin page: sign in with an API key, then sessions and logout notifications.
const api = createApi(loadKey);
const signInView = byId("sign-in-view");
const sessionsView = byId("sessions-view");
const notificationsView = byId("notifications-view");
const nav = byId("main-nav");
const navSessions = byId<HTMLButtonElement>("nav-sessions");
const navNotifications = byId<HTMLButtonElement>("nav-notifications");
const signInForm = byId<HTMLFormElement>("sign-in-form");
const keyInput = byId<HTMLInputElement>("api-key");
const signInError = byId("sign-in-error");

/** A call found the key refused: back to the sign-in form, saying why. Returns whether it was that. */
function handleUnauthenticated(error: unknown): boolean {
  if (!isUnauthenticated(error)) return false;
  signOut("The API key is no longer accepted. Sign in again.");
  return true;
}

const dialog = createEndSessionsDialog(api, handleUnauthenticated);
const sessions = createSessionsView(api, dialog, handleUnauthenticated);
const notifications = createNotificationsView(api, handleUnauthenticated);
const recentJobs = addEndMatchingAction(api, () => sessions.shownFilter(), handleUnauthenticated, () => void sessions.reload());

type Screen = "sign-in" | "sessions" | "notifications";

function showScreen(screen: Screen): void {
  show(signInView, screen === "sign-in");
  show(sessionsView, screen === "sessions");
  show(notificationsView, screen === "notifications");
  show(nav, screen !== "sign-in");
  navSessions.toggleAttribute("aria-current", false);
  navNotifications.toggleAttribute("aria-current", false);
  if (screen === "sessions") navSessions.setAttribute("aria-current", "page");
  if (screen === "notifications") navNotifications.setAttribute("aria-current", "page");
}

async function openSessions(): Promise<void> {
  showScreen("sessions");
  await Promise.all([sessions.reload(), recentJobs.refresh()]);
  focusOn(byId("sessions-heading"));
}

async function openNotifications(): Promise<void> {
  showScreen("notifications");
  await notifications.reload();
  focusOn(byId("notifications-heading"));
}

function signOut(message: string): void {
  clearKey();
  showScreen("sign-in");
  keyInput.value = "";
  showError(signInError, message);
  if (message === "") announce("Signed out.");
  focusOn(message === "" ? byId("sign-in-heading") : keyInput);
}

signInForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (key === "") {
    showError(signInError, "Enter an API key.");
    keyInput.setAttribute("aria-invalid", "true");
    keyInput.focus();
    return;
  }
  // One small query proves the key. A valid key without sessions.read still signs in: the list says what it may not do.
  saveKey(key);
  try {
    await api.sessions.querySessions({ countRequested: 1 });
  } catch (error) {
    const code = ConnectError.from(error).code;
    if (code !== Code.PermissionDenied) {
      clearKey();
      showError(signInError, code === Code.Unauthenticated ? "This API key was not accepted. Check it and try again." : describeError(error));
      keyInput.setAttribute("aria-invalid", String(code === Code.Unauthenticated));
      keyInput.focus();
      return;
    }
  }
  keyInput.value = "";
  keyInput.removeAttribute("aria-invalid");
  showError(signInError, "");
  announce("Signed in.");
  await openSessions();
});

navSessions.addEventListener("click", () => void openSessions());
navNotifications.addEventListener("click", () => void openNotifications());
byId("sign-out").addEventListener("click", () => signOut(""));

if (loadKey() === undefined) {
  showScreen("sign-in");
  keyInput.focus();
} else {
  void openSessions();
}

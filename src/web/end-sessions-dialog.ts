import type { RemoveSessionsResponse } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { describeError, type Api } from "./api.js";
import { byId, el, onDialogDismiss, showError } from "./dom.js";
import { idInText, textWithIds } from "./format.js";
import { plural } from "./plural.js";
import { describePlan, parseClientIds, removalRequest, type RemovalOptions, type RemovalTarget } from "./removal-plan.js";

/** The session a row's "End session" was pressed for. */
export interface SessionToEnd {
  subjectId: string;
  sessionId: string;
  clientIds: string[];
}

/** What was ended, and what the service reported. */
export interface Ended {
  target: RemovalTarget;
  outcome: RemoveSessionsResponse;
}

/** Asks which sessions to end and how, confirms in words what will happen, runs it, and hands back the result. */
export interface EndSessionsDialog {
  /**
   * Opens the dialog for a session, with the choice of ending only it or all
   * sessions of its subject (`subjectClientIds`: the subject's clients known
   * so far). Resolves with the result, or undefined when cancelled.
   */
  open(session: SessionToEnd, subjectClientIds: string[]): Promise<Ended | undefined>;
}

// How many of a subject's sessions are read to offer their clients.
const subjectLookupSize = 100;

/** Binds the page's confirmation dialog. */
export function createEndSessionsDialog(api: Api, onUnauthenticated: (error: unknown) => boolean): EndSessionsDialog {
  const dialog = byId<HTMLDialogElement>("end-dialog");
  const form = byId<HTMLFormElement>("end-form");
  const heading = byId("end-dialog-heading");
  const scopeSession = byId<HTMLInputElement>("scope-session");
  const scopeSubject = byId<HTMLInputElement>("scope-subject");
  const scopeSessionText = byId("scope-session-text");
  const scopeSubjectText = byId("scope-subject-text");
  const targetText = byId("end-target");
  const switches = {
    removeSession: byId<HTMLInputElement>("opt-remove"),
    revokeTokens: byId<HTMLInputElement>("opt-tokens"),
    revokeConsents: byId<HTMLInputElement>("opt-consents"),
    notifyClients: byId<HTMLInputElement>("opt-notify"),
  };
  const clientOptions = byId("end-client-options");
  const otherClients = byId<HTMLInputElement>("end-other-clients");
  const planIntro = byId("end-plan-intro");
  const plan = byId("end-plan");
  const error = byId("end-error");
  const confirm = byId<HTMLButtonElement>("end-confirm");
  const cancel = byId<HTMLButtonElement>("end-cancel");

  interface Current {
    session: SessionToEnd;
    subjectClientIds: string[];
    /** The subject's session count, once looked up. */
    subjectSessions?: number;
    settle: (ended: Ended | undefined) => void;
  }
  let current: Current | undefined;

  const target = (of: Current): RemovalTarget =>
    scopeSubject.checked
      ? { kind: "subject", subjectId: of.session.subjectId }
      : { kind: "session", subjectId: of.session.subjectId, sessionId: of.session.sessionId };

  const options = (): RemovalOptions => ({
    removeSession: switches.removeSession.checked,
    revokeTokens: switches.revokeTokens.checked,
    revokeConsents: switches.revokeConsents.checked,
    notifyClients: switches.notifyClients.checked,
    clientIds: [
      ...new Set([
        ...[...clientOptions.querySelectorAll<HTMLInputElement>("input:checked")].map((box) => box.value),
        ...parseClientIds(otherClients.value),
      ]),
    ],
  });

  // The scope's clients as checkboxes, keeping what was ticked.
  const renderClients = (of: Current) => {
    const ticked = new Set([...clientOptions.querySelectorAll<HTMLInputElement>("input:checked")].map((box) => box.value));
    const ids = scopeSubject.checked ? of.subjectClientIds : of.session.clientIds;
    clientOptions.replaceChildren(
      ...ids.map((clientId) => {
        const box = el("input", { type: "checkbox", value: clientId, name: "clientIds" });
        box.checked = ticked.has(clientId);
        return el("label", { class: "check" }, box, ` ${clientId}`);
      }),
    );
    if (ids.length === 0) clientOptions.replaceChildren(el("p", { class: "muted" }, `No clients are known for ${scopeSubject.checked ? "these sessions" : "this session"}.`));
  };

  const render = () => {
    if (current === undefined) return;
    const { subjectId, sessionId } = current.session;
    const all = scopeSubject.checked;
    heading.textContent = all ? "End all sessions of a subject" : "End session";
    const count = current.subjectSessions === undefined ? "" : ` (${plural(current.subjectSessions, "session")} now)`;
    scopeSubjectText.replaceChildren("All sessions of subject ", idInText(subjectId), count);
    targetText.replaceChildren(
      ...(all
        ? [
            "You are about to end ",
            current.subjectSessions === undefined ? "all sessions" : `all ${plural(current.subjectSessions, "session")}`,
            " of subject ",
            idInText(subjectId),
            ", not only the one you chose.",
          ]
        : ["You are about to end session ", idInText(sessionId), " of subject ", idInText(subjectId), "; the subject's other sessions stay."]),
    );
    confirm.textContent = all ? "End all sessions of this subject" : "End this session";
    const steps = describePlan(target(current), options());
    planIntro.textContent = steps.length === 0 ? "Nothing is selected: nothing will change." : "This will:";
    const ids = [subjectId, sessionId, ...options().clientIds];
    plan.replaceChildren(...steps.map((step) => el("li", {}, ...textWithIds(step, ids))));
    confirm.disabled = steps.length === 0;
  };

  // How many sessions the subject has, and their clients, for the "all sessions" choice.
  const lookUpSubject = async (of: Current) => {
    try {
      const found = await api.sessions.querySessions({ subjectId: of.session.subjectId, countRequested: subjectLookupSize });
      if (current !== of) return;
      of.subjectSessions = found.totalCount ?? found.results.length;
      of.subjectClientIds = [...new Set([...of.subjectClientIds, ...found.results.flatMap((s) => s.clientIds)])].sort();
      if (scopeSubject.checked) renderClients(of);
      render();
    } catch {
      // Without the lookup the dialog still works: the count is left out and clients can be typed in.
    }
  };

  const finish = (ended: Ended | undefined) => {
    const settle = current?.settle;
    current = undefined;
    if (dialog.open) dialog.close();
    settle?.(ended);
  };

  for (const radio of [scopeSession, scopeSubject]) radio.addEventListener("change", () => current !== undefined && renderClients(current));
  form.addEventListener("change", render);
  form.addEventListener("input", render);
  onDialogDismiss(dialog, cancel, () => finish(undefined));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (current === undefined) return;
    const chosen = target(current);
    confirm.disabled = true;
    showError(error, "");
    try {
      const outcome = await api.sessions.removeSessions(removalRequest(chosen, options()));
      finish({ target: chosen, outcome });
    } catch (failure) {
      if (onUnauthenticated(failure)) return finish(undefined);
      showError(error, describeError(failure));
      confirm.disabled = false;
    }
  });

  return {
    open(session, subjectClientIds) {
      if (current !== undefined) finish(undefined);
      scopeSession.checked = true;
      for (const box of Object.values(switches)) box.checked = true;
      otherClients.value = "";
      showError(error, "");
      scopeSessionText.replaceChildren("Only session ", idInText(session.sessionId));
      clientOptions.replaceChildren();
      return new Promise((settle) => {
        const opened: Current = { session, subjectClientIds: [...new Set([...subjectClientIds, ...session.clientIds])].sort(), settle };
        current = opened;
        renderClients(opened);
        render();
        dialog.showModal();
        cancel.focus();
        void lookUpSubject(opened);
      });
    },
  };
}

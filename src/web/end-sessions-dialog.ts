import type { RemoveSessionsResponse } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { describeError, type Api } from "./api.js";
import { byId, el, showError } from "./dom.js";
import { describePlan, describeTarget, parseClientIds, removalRequest, type RemovalOptions, type RemovalTarget } from "./removal-plan.js";

/** Asks for confirmation of a termination, runs it, and hands back what the service reported. */
export interface EndSessionsDialog {
  /** Opens the dialog for a target, offering its known clients; resolves with the result, or undefined when cancelled. */
  open(target: RemovalTarget, knownClientIds: string[]): Promise<RemoveSessionsResponse | undefined>;
}

/** Binds the page's confirmation dialog. */
export function createEndSessionsDialog(api: Api, onUnauthenticated: (error: unknown) => boolean): EndSessionsDialog {
  const dialog = byId<HTMLDialogElement>("end-dialog");
  const form = byId<HTMLFormElement>("end-form");
  const heading = byId("end-dialog-heading");
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

  let current: { target: RemovalTarget; settle: (result: RemoveSessionsResponse | undefined) => void } | undefined;

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

  const renderPlan = () => {
    if (current === undefined) return;
    const steps = describePlan(current.target, options());
    planIntro.textContent = steps.length === 0 ? "Nothing is selected: nothing will change." : "This will:";
    plan.replaceChildren(...steps.map((step) => el("li", {}, step)));
    confirm.disabled = steps.length === 0;
  };

  const finish = (result: RemoveSessionsResponse | undefined) => {
    const settle = current?.settle;
    current = undefined;
    if (dialog.open) dialog.close();
    settle?.(result);
  };

  form.addEventListener("change", renderPlan);
  form.addEventListener("input", renderPlan);
  cancel.addEventListener("click", () => finish(undefined));
  // Escape closes the dialog: that is a cancel too.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    finish(undefined);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (current === undefined) return;
    confirm.disabled = true;
    showError(error, "");
    try {
      const result = await api.sessions.removeSessions(removalRequest(current.target, options()));
      finish(result);
    } catch (failure) {
      if (onUnauthenticated(failure)) return finish(undefined);
      showError(error, describeError(failure));
      confirm.disabled = false;
    }
  });

  return {
    open(target, knownClientIds) {
      if (current !== undefined) finish(undefined);
      for (const box of Object.values(switches)) box.checked = true;
      otherClients.value = "";
      showError(error, "");
      const title = target.kind === "session" ? "End session" : "End every session of a subject";
      heading.textContent = title;
      confirm.textContent = target.kind === "session" ? "End session" : "End all sessions";
      targetText.textContent = `You are about to end ${describeTarget(target)}.`;
      clientOptions.replaceChildren(
        ...knownClientIds.map((clientId) =>
          el("label", { class: "check" }, el("input", { type: "checkbox", value: clientId, name: "clientIds" }), ` ${clientId}`),
        ),
      );
      if (knownClientIds.length === 0) clientOptions.replaceChildren(el("p", { class: "muted" }, "No clients are known for this session."));
      return new Promise((settle) => {
        current = { target, settle };
        renderPlan();
        dialog.showModal();
        cancel.focus();
      });
    },
  };
}

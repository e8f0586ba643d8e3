import { create } from "@bufbuild/protobuf";
import { TerminationActionsSchema, type PreviewTerminationResponse, type SessionFilter, type TerminationJob } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { describeError, type Api } from "./api.js";
import { el, onDialogDismiss, show, showError } from "./dom.js";
import { plural } from "./plural.js";
import { describeTerminationFilter, figureText, isEmptyFilter, terminationFilter } from "./termination-api.js";

/** Confirms ending every session matching the list's filter, showing the server's preview, and starts the job. */
export interface EndMatchingDialog {
  /** Opens the dialog for a filter; resolves with the started job, or undefined when cancelled. */
  open(filter: SessionFilter): Promise<TerminationJob | undefined>;
}

const actionSwitches = [
  ["removeServerSideSession", "Remove the server-side sessions"],
  ["revokeTokens", "Revoke their tokens (refresh and reference tokens, codes)"],
  ["revokeConsents", "Revoke consents"],
  ["sendBackchannelLogoutNotification", "Notify clients (back-channel logout)"],
] as const;

const figureNames = ["sessions", "tokens", "consents", "notifications"] as const;

/** An idempotency key for one confirmation: pressing twice (or a retried call) starts one job. Works on plain http too. */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `admin-page-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Builds the dialog (appended to the page) and binds it. */
export function createEndMatchingDialog(api: Api, onUnauthenticated: (error: unknown) => boolean): EndMatchingDialog {
  const boxes = Object.fromEntries(actionSwitches.map(([name]) => [name, el("input", { type: "checkbox", id: `end-matching-${name}` })])) as Record<
    (typeof actionSwitches)[number][0],
    HTMLInputElement
  >;
  const heading = el("h2", { id: "end-matching-heading" }, "End all matching sessions");
  const target = el("p", { id: "end-matching-target", class: "target" });
  const allBox = el("input", { type: "checkbox", id: "end-matching-all" });
  const allLabel = el("label", { class: "check", id: "end-matching-all-label" }, allBox, " Yes: end every session of every user");
  const reason = el("input", { id: "end-matching-reason", maxlength: "500", "aria-describedby": "end-matching-reason-hint" });
  const previewIntro = el("p", { id: "end-matching-preview-intro" });
  const counts = Object.fromEntries(figureNames.map((name) => [name, el("dd", { id: `end-matching-count-${name}` }, "–")])) as Record<(typeof figureNames)[number], HTMLElement>;
  const estimate = el("p", { id: "end-matching-estimate", class: "hint" });
  const clientRows = el("tbody");
  const clientTable = el(
    "table",
    { id: "end-matching-clients", class: "list" },
    el("caption", { class: "visually-hidden" }, "What would happen per client"),
    el("thead", {}, el("tr", {}, ...["Client", "Sessions", "Tokens", "Consents", "Notifications", "Notified"].map((title) => el("th", { scope: "col" }, title)))),
    clientRows,
  );
  const truncated = el("p", { id: "end-matching-truncated", class: "hint" });
  const error = el("p", { id: "end-matching-error", class: "error", role: "alert" });
  const cancel = el("button", { type: "button", id: "end-matching-cancel", class: "quiet" }, "Cancel");
  const confirm = el("button", { type: "submit", id: "end-matching-confirm", class: "danger" }, "Start ending sessions");
  const form = el(
    "form",
    { id: "end-matching-form", novalidate: "" },
    heading,
    target,
    allLabel,
    el("fieldset", {}, el("legend", {}, "What to do"), el("div", { class: "options" }, ...actionSwitches.map(([name, text]) => el("label", { class: "check" }, boxes[name], ` ${text}`)))),
    el("label", { for: "end-matching-reason" }, "Reason (optional)"),
    reason,
    el("p", { id: "end-matching-reason-hint", class: "hint" }, "Shown in the job list and kept in the audit trail, e.g. an incident reference."),
    el(
      "div",
      { class: "plan", "aria-live": "polite", id: "end-matching-preview" },
      previewIntro,
      el("dl", { class: "counts" }, ...figureNames.map((name) => el("div", {}, el("dt", {}, name[0]!.toUpperCase() + name.slice(1)), counts[name]))),
      estimate,
      el("div", { class: "table-wrap" }, clientTable),
      truncated,
      el("p", { class: "hint" }, "The job ends the sessions as they are when it reaches them: these figures are a forecast."),
    ),
    error,
    el("div", { class: "buttons" }, cancel, confirm),
  );
  const dialog = el("dialog", { id: "end-matching-dialog", "aria-labelledby": "end-matching-heading" }, form);
  document.body.append(dialog);

  interface Current {
    filter: SessionFilter;
    idempotencyKey: string;
    preview?: PreviewTerminationResponse;
    /** Bumped per preview call, so that only the newest answer is shown. */
    asked: number;
    settle: (job: TerminationJob | undefined) => void;
  }
  let current: Current | undefined;

  const actions = () => create(TerminationActionsSchema, Object.fromEntries(actionSwitches.map(([name]) => [name, boxes[name].checked])));
  const nothingSelected = () => actionSwitches.every(([name]) => !boxes[name].checked);

  const render = () => {
    if (current === undefined) return;
    const everyone = isEmptyFilter(current.filter);
    show(allLabel, everyone);
    const preview = current.preview;
    const sessions = preview === undefined ? undefined : figureText(preview.total?.sessions, preview.isEstimate);
    target.textContent = everyone
      ? `You are about to end EVERY session${sessions === undefined ? "" : ` (${sessions})`}: every user is signed out.`
      : `You are about to end every session matching ${describeTerminationFilter(current.filter)}${sessions === undefined ? "" : ` (${sessions})`}, not only those on this page.`;
    confirm.textContent = sessions === undefined ? "Start ending sessions" : `Start ending ${sessions} ${preview?.total?.sessions === 1n && !preview.isEstimate ? "session" : "sessions"}`;
    confirm.disabled = preview === undefined || nothingSelected() || (everyone && !allBox.checked);
  };

  const showPreview = (preview: PreviewTerminationResponse | undefined) => {
    for (const name of figureNames) counts[name].textContent = preview === undefined ? "–" : figureText(preview.total?.[name], preview.isEstimate);
    previewIntro.textContent = preview === undefined ? "Looking up what this would do…" : preview.isEstimate ? "This would, by estimate:" : "This would:";
    estimate.textContent =
      preview?.isEstimate === true
        ? `Estimates: more than ${plural(Number(preview.exactBound), "session")} match, so the figures come from index counts and a sample. Up to ${Number(preview.exactBound).toLocaleString("en")} they are exact.`
        : "";
    show(estimate, preview?.isEstimate === true);
    clientRows.replaceChildren(
      ...(preview?.clients ?? []).map((client) =>
        el(
          "tr",
          {},
          el("td", { "data-label": "Client" }, el("code", { class: "id", title: client.clientId }, client.clientId)),
          ...figureNames.map((name) => el("td", { "data-label": name[0]!.toUpperCase() + name.slice(1) }, figureText(client.figures?.[name], preview!.isEstimate))),
          el("td", { "data-label": "Notified" }, client.notifiable ? "Yes" : "No"),
        ),
      ),
    );
    show(clientTable, (preview?.clients.length ?? 0) > 0);
    truncated.textContent = preview?.clientsTruncated ? `More clients than the ${preview.clients.length} listed.` : "";
    show(truncated, preview?.clientsTruncated === true);
  };

  const loadPreview = async (of: Current) => {
    const asked = ++of.asked;
    of.preview = undefined;
    showPreview(undefined);
    render();
    try {
      const filter = { ...of.filter, allSessions: isEmptyFilter(of.filter) };
      const preview = await api.termination.previewTermination({ filter, actions: actions() });
      if (current !== of || asked !== of.asked) return;
      of.preview = preview;
      showError(error, "");
      showPreview(preview);
      render();
    } catch (failure) {
      if (current !== of || asked !== of.asked) return;
      if (onUnauthenticated(failure)) return finish(undefined);
      previewIntro.textContent = "What this would do could not be looked up.";
      showError(error, describeError(failure));
    }
  };

  const finish = (job: TerminationJob | undefined) => {
    const settle = current?.settle;
    current = undefined;
    if (dialog.open) dialog.close();
    settle?.(job);
  };

  for (const [name] of actionSwitches) boxes[name].addEventListener("change", () => current !== undefined && void loadPreview(current));
  allBox.addEventListener("change", render);
  onDialogDismiss(dialog, cancel, () => finish(undefined));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (current === undefined || confirm.disabled) return;
    const of = current;
    confirm.disabled = true;
    showError(error, "");
    try {
      const filter = terminationFilter(of.filter, allBox.checked);
      const { job } = await api.termination.startTerminationJob({ idempotencyKey: of.idempotencyKey, filter, actions: actions(), reason: reason.value.trim() });
      finish(job);
    } catch (failure) {
      if (onUnauthenticated(failure)) return finish(undefined);
      showError(error, describeError(failure));
      render();
    }
  });

  return {
    open(filter) {
      if (current !== undefined) finish(undefined);
      for (const [name] of actionSwitches) boxes[name].checked = true;
      allBox.checked = false;
      reason.value = "";
      showError(error, "");
      return new Promise((settle) => {
        const opened: Current = { filter, idempotencyKey: newIdempotencyKey(), asked: 0, settle };
        current = opened;
        render();
        dialog.showModal();
        cancel.focus();
        void loadPreview(opened);
      });
    },
  };
}

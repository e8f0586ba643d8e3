import { Code, ConnectError } from "@connectrpc/connect";
import { TerminationJobState, type TerminationJob } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { describeError, type Api } from "./api.js";
import { byId, el, show, showError } from "./dom.js";
import { idInText } from "./format.js";
import { announce, focusOn } from "./status.js";
import { describeTerminationFigures, describeTerminationFilter, figureText, isFinalJob, jobStateBadge, jobStateLabel } from "./termination-api.js";

/** A live view of one termination job: its state, a progress bar, what it has done, and a Cancel button. */
export interface JobProgressView {
  /** Shows the job and, unless it has ended, follows it with WatchTerminationJob until it ends or another job is shown. */
  follow(job: TerminationJob): void;
}

// A broken watch is opened again this many times in a row before the view says so.
const watchRetries = 3;
const retryDelayMs = 1000;

const figureNames = ["sessions", "tokens", "consents", "notifications"] as const;
const figureTitles = { sessions: "Sessions ended", tokens: "Tokens revoked", consents: "Consents revoked", notifications: "Notifications queued" };

/** Builds the view (placed after the removal result of the session list) and binds it; `onEnded` runs once per job that ends while followed. */
export function createJobProgressView(api: Api, onUnauthenticated: (error: unknown) => boolean, onEnded: (job: TerminationJob) => void): JobProgressView {
  const heading = el("h2", { id: "job-progress-heading" }, "Termination job");
  const target = el("p", { id: "job-progress-target" });
  const state = el("span", { id: "job-progress-state", class: "badge" });
  const bar = el("progress", { id: "job-progress-bar", "aria-labelledby": "job-progress-heading" });
  const barText = el("span", { id: "job-progress-text" });
  const counts = Object.fromEntries(figureNames.map((name) => [name, el("dd", { id: `job-count-${name}` }, "0")])) as Record<(typeof figureNames)[number], HTMLElement>;
  const outcome = el("p", { id: "job-progress-outcome" });
  const error = el("p", { id: "job-progress-error", class: "error", role: "alert" });
  const cancel = el("button", { type: "button", id: "job-cancel", class: "danger-quiet" }, "Cancel job");
  const dismiss = el("button", { type: "button", id: "job-dismiss", class: "quiet" }, "Dismiss");
  const section = el(
    "section",
    { id: "job-progress", class: "card result", tabindex: "-1", "aria-labelledby": "job-progress-heading" },
    heading,
    target,
    el("p", {}, state, " ", barText),
    bar,
    el("dl", { class: "counts" }, ...figureNames.map((name) => el("div", {}, el("dt", {}, figureTitles[name]), counts[name]))),
    outcome,
    error,
    el("div", { class: "buttons" }, cancel, dismiss),
  );
  show(section, false);
  show(error, false);
  byId("removal-result").after(section);

  let followed: { job: TerminationJob; stop: AbortController } | undefined;

  const render = (job: TerminationJob) => {
    heading.replaceChildren("Termination job ", idInText(job.jobId));
    target.textContent = `Ending ${job.filter === undefined ? "sessions" : describeTerminationFilter(job.filter)}${job.reason ? ` (${job.reason})` : ""}.`;
    state.textContent = jobStateLabel(job.state);
    state.className = `badge ${jobStateBadge(job.state)}`;
    const done = Number(job.progress?.sessions ?? 0n);
    const expected = Number(job.expectedSessions);
    bar.max = Math.max(expected, done, 1);
    bar.value = job.state === TerminationJobState.SUCCEEDED ? bar.max : done;
    const percent = expected === 0 ? 100 : Math.min(100, Math.floor((done / expected) * 100));
    barText.textContent = `${done.toLocaleString("en")} of ${figureText(job.expectedSessions, job.expectedSessionsIsEstimate)} sessions (${percent}%)`;
    for (const name of figureNames) counts[name].textContent = Number(job.progress?.[name] ?? 0n).toLocaleString("en");
    outcome.className = job.state === TerminationJobState.FAILED ? "error" : "";
    outcome.textContent = outcomeText(job);
    show(cancel, !isFinalJob(job));
    show(dismiss, isFinalJob(job));
  };

  const ended = (job: TerminationJob) => {
    announce(outcomeText(job));
    onEnded(job);
  };

  const watch = async (of: NonNullable<typeof followed>) => {
    let failures = 0;
    // A job shown after it ended (from the recent jobs) is not announced as ending now.
    const endedBefore = isFinalJob(of.job);
    while (!isFinalJob(of.job) && !of.stop.signal.aborted) {
      try {
        for await (const { job } of api.termination.watchTerminationJob({ jobId: of.job.jobId }, { signal: of.stop.signal })) {
          if (job === undefined || followed !== of) continue;
          failures = 0;
          showError(error, "");
          of.job = job;
          render(job);
        }
        if (!isFinalJob(of.job)) failures++;
      } catch (failure) {
        if (of.stop.signal.aborted || followed !== of) return;
        if (onUnauthenticated(failure)) return;
        const code = ConnectError.from(failure).code;
        if (code === Code.NotFound || code === Code.PermissionDenied || code === Code.InvalidArgument) return showError(error, describeError(failure));
        failures++;
      }
      if (failures > watchRetries) return showError(error, "The live view lost the service; the job goes on. Reload the page to look again.");
      if (failures > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * failures));
    }
    if (followed === of && isFinalJob(of.job) && !endedBefore) ended(of.job);
  };

  cancel.addEventListener("click", async () => {
    const of = followed;
    if (of === undefined) return;
    cancel.disabled = true;
    try {
      const { job } = await api.termination.cancelTerminationJob({ jobId: of.job.jobId });
      if (job !== undefined && followed === of) {
        of.job = job;
        render(job);
      }
    } catch (failure) {
      if (!onUnauthenticated(failure)) showError(error, describeError(failure));
    } finally {
      cancel.disabled = false;
    }
  });
  dismiss.addEventListener("click", () => {
    followed?.stop.abort();
    followed = undefined;
    show(section, false);
    focusOn(byId("sessions-heading"));
  });

  return {
    follow(job) {
      followed?.stop.abort();
      const of = { job, stop: new AbortController() };
      followed = of;
      showError(error, "");
      render(job);
      show(section, true);
      focusOn(section);
      announce(`Termination job ${job.jobId}: ${jobStateLabel(job.state)}.`);
      void watch(of);
    },
  };
}

/** What the job has come to, in a sentence. */
function outcomeText(job: TerminationJob): string {
  const did = describeTerminationFigures(job.progress);
  switch (job.state) {
    case TerminationJobState.SUCCEEDED:
      return `Finished: ${did}.`;
    case TerminationJobState.CANCELLED:
      return `Cancelled${job.cancelledBy ? ` by ${job.cancelledBy}` : ""}. What it did before stays done: ${did}.`;
    case TerminationJobState.FAILED:
      return `Failed: ${job.error || "no reason given"}. What it did before stays done: ${did}.`;
    default:
      return "The job runs in the service: leaving this page does not stop it.";
  }
}

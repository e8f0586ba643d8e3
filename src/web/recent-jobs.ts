import type { TerminationJob } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import type { Api } from "./api.js";
import { el, show } from "./dom.js";
import { idCell, timeElement } from "./format.js";
import { describeTerminationFilter, figureText, isFinalJob, jobStateBadge, jobStateLabel } from "./termination-api.js";

/** The newest termination jobs, whoever started them (here or with sessionctl), each one a click from its live view. */
export interface RecentJobs {
  /** Reads the newest jobs again; hides the list when there are none or the key may not read them. */
  refresh(): Promise<void>;
}

// How many jobs the list shows.
const shownJobs = 5;

/** Builds the list (placed after `anchor`) and binds it; `open` shows a job in the live view. */
export function createRecentJobs(api: Api, anchor: HTMLElement, open: (job: TerminationJob) => void): RecentJobs {
  const rows = el("tbody");
  const section = el(
    "section",
    { id: "recent-jobs", "aria-labelledby": "recent-jobs-heading" },
    el("h2", { id: "recent-jobs-heading" }, "Recent termination jobs"),
    el(
      "div",
      { class: "table-wrap" },
      el(
        "table",
        { id: "recent-jobs-table", class: "list" },
        el("caption", { class: "visually-hidden" }, "Termination jobs, newest first"),
        el("thead", {}, el("tr", {}, ...["Job", "State", "Sessions", "Which sessions", "Started (UTC)", "Actions"].map((title) => el("th", { scope: "col" }, title)))),
        rows,
      ),
    ),
  );
  show(section, false);
  anchor.after(section);

  const row = (job: TerminationJob) => {
    const button = el("button", { type: "button", class: "quiet" }, isFinalJob(job) ? "Show" : "Watch");
    button.setAttribute("aria-label", `${isFinalJob(job) ? "Show" : "Watch"} job ${job.jobId}`);
    button.addEventListener("click", () => open(job));
    return el(
      "tr",
      {},
      el("td", { "data-label": "Job" }, idCell(job.jobId)),
      el("td", { "data-label": "State" }, el("span", { class: `badge ${jobStateBadge(job.state)}` }, jobStateLabel(job.state))),
      el("td", { "data-label": "Sessions" }, `${Number(job.progress?.sessions ?? 0n).toLocaleString("en")} of ${figureText(job.expectedSessions, job.expectedSessionsIsEstimate)}`),
      el("td", { "data-label": "Which sessions" }, job.filter === undefined ? "–" : describeTerminationFilter(job.filter)),
      el("td", { "data-label": "Started (UTC)" }, timeElement(job.createTime)),
      el("td", { "data-label": "Actions" }, button),
    );
  };

  return {
    async refresh() {
      try {
        const { jobs } = await api.termination.listTerminationJobs({ countRequested: shownJobs });
        rows.replaceChildren(...jobs.map(row));
        show(section, jobs.length > 0);
      } catch {
        // The list is a convenience: without it (no permission, service away) the page works as before.
        show(section, false);
      }
    },
  };
}

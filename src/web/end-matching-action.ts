import type { Api } from "./api.js";
import { byId, el } from "./dom.js";
import { createEndMatchingDialog } from "./end-matching-dialog.js";
import { createJobProgressView } from "./job-progress-view.js";
import { createRecentJobs, type RecentJobs } from "./recent-jobs.js";
import { terminationFilter, type ListFilter } from "./termination-api.js";

/**
 * Adds "End all matching…" to the session filter: it ends every session
 * matching the list's filters (`shownFilter`: those of the last search, every
 * one of them) as a termination job, after a confirmation showing the
 * service's preview, then follows the job live; lists the recent jobs below. `onEnded` runs when a followed job ends (to reload the
 * session list). Returns the recent jobs list, to refresh with the page.
 */
export function addEndMatchingAction(
  api: Api,
  shownFilter: () => ListFilter,
  onUnauthenticated: (error: unknown) => boolean,
  onEnded: () => void,
): RecentJobs {
  const form = byId<HTMLFormElement>("session-filter");
  const dialog = createEndMatchingDialog(api, onUnauthenticated);
  let recent: RecentJobs | undefined;
  const progress = createJobProgressView(api, onUnauthenticated, () => {
    onEnded();
    void recent?.refresh();
  });
  recent = createRecentJobs(api, byId("job-progress"), (job) => progress.follow(job));
  const button = el("button", { type: "button", id: "end-matching", class: "danger-quiet" }, "End all matching…");
  form.querySelector(".buttons")!.append(button);

  button.addEventListener("click", async () => {
    // The list's own filters, all of them: the job ends exactly what the list shows.
    const filter = terminationFilter(shownFilter(), false);
    const job = await dialog.open(filter);
    if (job === undefined) {
      button.focus();
      return;
    }
    progress.follow(job);
    void recent.refresh();
  });
  return recent;
}

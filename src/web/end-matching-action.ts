import type { Api } from "./api.js";
import { byId, el, showError } from "./dom.js";
import { createEndMatchingDialog } from "./end-matching-dialog.js";
import { createJobProgressView } from "./job-progress-view.js";
import { createRecentJobs, type RecentJobs } from "./recent-jobs.js";
import { terminationFilter, terminationFilterFields } from "./termination-api.js";

// Form fields that shape the list (page size, order) but select no sessions.
const layoutFields = new Set(["pageSize", "order"]);

/**
 * Adds "End all matching…" to the session filter: it ends every session
 * matching the filter in the form as a termination job, after a confirmation
 * showing the service's preview, then follows the job live; lists the
 * recent jobs below. `onEnded` runs when a followed job ends (to reload the
 * session list). Returns the recent jobs list, to refresh with the page.
 */
export function addEndMatchingAction(api: Api, onUnauthenticated: (error: unknown) => boolean, onEnded: () => void): RecentJobs {
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
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    // A filter a termination job cannot apply would end more than the list shows: refuse rather than widen it.
    const unsupported = [...data.keys()].filter((name) => !layoutFields.has(name) && !(terminationFilterFields as readonly string[]).includes(name) && text(name) !== "");
    if (unsupported.length > 0) {
      const labels = unsupported.map((name) => form.querySelector(`label[for="${form.querySelector(`[name="${name}"]`)?.id}"]`)?.textContent ?? name);
      showError(byId("sessions-error"), `End all matching works with the subject, session, display name and client filters only: clear ${labels.join(", ")} first.`);
      return;
    }
    const filter = terminationFilter(
      Object.fromEntries(terminationFilterFields.map((field) => [field, text(field)])) as Record<(typeof terminationFilterFields)[number], string>,
      false,
    );
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

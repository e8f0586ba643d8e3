import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeCountedPage, describeUncountedPage } from "../../src/web/page-summary.js";

describe("describeCountedPage()", () => {
  it("should place the page in the exact total, with thousands separators", () => {
    assert.deepEqual(describeCountedPage({ shown: 25, pageSize: 25, totalCount: 10_000, totalPages: 400, currentPage: 1, estimate: false }, "session"), {
      summary: "1–25 of 10,000 sessions (page 1 of 400)",
      pager: "Page 1 of 400",
    });
    assert.deepEqual(describeCountedPage({ shown: 3, pageSize: 10, totalCount: 23, totalPages: 3, currentPage: 3, estimate: false }, "session"), {
      summary: "21–23 of 23 sessions (page 3 of 3)",
      pager: "Page 3 of 3",
    });
    assert.equal(describeCountedPage({ shown: 1, pageSize: 25, totalCount: 1, totalPages: 1, currentPage: 1, estimate: false }, "session").summary, "1 of 1 session (page 1 of 1)");
  });

  it("should say when the total is an estimate, and never show fewer than the page proves", () => {
    const estimated = describeCountedPage({ shown: 25, pageSize: 25, totalCount: 10_000_000, totalPages: 400_000, currentPage: 2, estimate: true }, "session");
    assert.deepEqual(estimated, {
      summary: "26–50 of about 10,000,000 sessions (page 2 of about 400,000; the total is an estimate)",
      pager: "Page 2 of about 400,000",
    });
    const stale = describeCountedPage({ shown: 10, pageSize: 10, totalCount: 15, totalPages: 2, currentPage: 3, estimate: true }, "session");
    assert.equal(stale.summary, "21–30 of about 30 sessions (page 3 of about 3; the total is an estimate)");
  });

  it("should say the total is unknown rather than show a zero total next to results", () => {
    for (const totals of [{}, { totalCount: 0, totalPages: 0, currentPage: 0 }]) {
      assert.deepEqual(describeCountedPage({ shown: 25, pageSize: 25, estimate: false, ...totals }, "session"), {
        summary: "25 sessions shown; the total is not known right now.",
        pager: "",
      });
    }
  });

  it("should say nothing for an empty page (the list says no sessions match)", () => {
    assert.deepEqual(describeCountedPage({ shown: 0, pageSize: 25, totalCount: 0, totalPages: 0, currentPage: 0, estimate: false }, "session"), { summary: "", pager: "" });
  });
});

describe("describeUncountedPage()", () => {
  it("should give the page number and the range without a total", () => {
    assert.deepEqual(describeUncountedPage(25, 25, 2, "notification"), { summary: "Notifications 26–50 (page 2)", pager: "Page 2" });
    assert.deepEqual(describeUncountedPage(1, 25, 1, "notification"), { summary: "Notification 1 (page 1)", pager: "Page 1" });
    assert.deepEqual(describeUncountedPage(0, 25, 1, "notification"), { summary: "", pager: "" });
  });
});

import { plural } from "./plural.js";

/** A page of a counted list, as QuerySessions reports it. */
export interface CountedPage {
  /** Results on this page. */
  shown: number;
  /** The page size asked for. */
  pageSize: number;
  totalCount?: number;
  totalPages?: number;
  /** 1-based. */
  currentPage?: number;
  /** Whether totalCount and totalPages are estimates. */
  estimate: boolean;
}

/** The line above a list and the pager's label. */
export interface PageSummary {
  /** "1–25 of 10,000 sessions (page 1 of 400)"; empty for an empty page. */
  summary: string;
  /** "Page 1 of 400"; empty when the position is unknown. */
  pager: string;
}

const number = (value: number) => value.toLocaleString("en");

/**
 * Where a page of sessions sits in the whole list. An estimated total says
 * "about" and that it is an estimate; a page without usable totals says how
 * many are shown and that the total is not known, rather than guessing.
 */
export function describeCountedPage(page: CountedPage, noun: string): PageSummary {
  if (page.shown === 0) return { summary: "", pager: "" };
  const { totalCount, totalPages, currentPage } = page;
  if (totalCount === undefined || totalPages === undefined || currentPage === undefined || currentPage < 1 || totalCount < 1) {
    return { summary: `${plural(page.shown, noun)} shown; the total is not known right now.`, pager: "" };
  }
  const first = (currentPage - 1) * page.pageSize + 1;
  const last = first + page.shown - 1;
  if (!page.estimate) {
    return {
      summary: `${range(first, last)} of ${plural(totalCount, noun)} (page ${number(currentPage)} of ${number(totalPages)})`,
      pager: `Page ${number(currentPage)} of ${number(totalPages)}`,
    };
  }
  // An estimate can lag behind the page in hand: never show fewer than are known to exist.
  const about = Math.max(totalCount, last);
  const pages = Math.max(totalPages, currentPage);
  return {
    summary: `${range(first, last)} of about ${plural(about, noun)} (page ${number(currentPage)} of about ${number(pages)}; the total is an estimate)`,
    pager: `Page ${number(currentPage)} of about ${number(pages)}`,
  };
}

/** Where a page of a list that is not counted sits: "Notifications 26–50 (page 2)". */
export function describeUncountedPage(shown: number, pageSize: number, pageNumber: number, one: string, many = `${one}s`): PageSummary {
  if (shown === 0) return { summary: "", pager: "" };
  const first = (pageNumber - 1) * pageSize + 1;
  const noun = shown === 1 ? one : many;
  return {
    summary: `${noun[0]!.toUpperCase()}${noun.slice(1)} ${range(first, first + shown - 1)} (page ${number(pageNumber)})`,
    pager: `Page ${number(pageNumber)}`,
  };
}

function range(first: number, last: number): string {
  return first === last ? number(first) : `${number(first)}–${number(last)}`;
}

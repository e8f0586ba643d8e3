import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

/** A `<time>` element for a timestamp, in UTC to the second ("2026-01-01 09:00:00"; the column headings say UTC), or a dash when unset. */
export function timeElement(timestamp: Timestamp | undefined): HTMLElement {
  if (timestamp === undefined) {
    const none = document.createElement("span");
    none.textContent = "–";
    none.className = "muted";
    return none;
  }
  const date = timestampDate(timestamp);
  const element = document.createElement("time");
  element.dateTime = date.toISOString();
  element.textContent = date.toISOString().slice(0, 19).replace("T", " ");
  element.title = `${element.textContent} UTC`;
  return element;
}

/** "1 session", "3 sessions". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

import { toJson } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { UserSessionSchema, type UserSession } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";

/** How `sessions export` writes sessions: a header (possibly empty) and one line per session. */
export interface ExportFormat {
  header: string;
  line(session: UserSession): string;
}

const csvColumns: [string, (s: UserSession) => string][] = [
  ["subject_id", (s) => s.subjectId],
  ["session_id", (s) => s.sessionId],
  ["display_name", (s) => s.displayName],
  ["issuer", (s) => s.issuer],
  ["client_ids", (s) => s.clientIds.join(" ")],
  ["created", (s) => isoTime(s.created)],
  ["renewed", (s) => isoTime(s.renewed)],
  ["expires", (s) => isoTime(s.expires)],
];

/** The export formats by name: ndjson (the API's JSON form, one session a line) and csv (RFC 4180, client ids space-separated). */
export const exportFormats: Record<string, ExportFormat> = {
  ndjson: { header: "", line: (s) => `${JSON.stringify(toJson(UserSessionSchema, s, { alwaysEmitImplicit: true }))}\n` },
  csv: {
    header: `${csvColumns.map(([name]) => name).join(",")}\r\n`,
    line: (s) => `${csvColumns.map(([, cell]) => csvField(cell(s))).join(",")}\r\n`,
  },
};

/** A CSV field, quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function isoTime(time: Timestamp | undefined): string {
  return time === undefined ? "" : timestampDate(time).toISOString();
}

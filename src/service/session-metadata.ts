import { create } from "@bufbuild/protobuf";
import { SessionMetadataSchema, type SessionMetadata as SessionMetadataMessage } from "../../gen/ts/sessionmanagement/v1/session_metadata_pb.js";
import type { SessionMetadata, SessionMetadataInput } from "../domain/session-metadata.js";
import { dateOf, timestampOf } from "./timestamps.js";

/** A request's session metadata as domain input; field names in errors start with `prefix`. */
export function metadataInputOf(m: SessionMetadataMessage, prefix: string): SessionMetadataInput {
  return {
    signInIpAddress: m.signInIpAddress,
    signInUserAgent: m.signInUserAgent,
    lastSeenIpAddress: m.lastSeenIpAddress,
    lastSeenUserAgent: m.lastSeenUserAgent,
    lastSeenTime: dateOf(`${prefix}last_seen_time`, m.lastSeenTime),
    authenticationMethods: m.authenticationMethods,
    authenticationContextClass: m.authenticationContextClass,
    attributes: m.attributes,
  };
}

/** The API form of stored session metadata. */
export function toSessionMetadata(metadata: SessionMetadata): SessionMetadataMessage {
  return create(SessionMetadataSchema, {
    signInIpAddress: metadata.signInIp ?? "",
    signInUserAgent: metadata.signInUserAgent ?? "",
    lastSeenIpAddress: metadata.lastSeenIp ?? "",
    lastSeenUserAgent: metadata.lastSeenUserAgent ?? "",
    lastSeenTime: timestampOf(metadata.lastSeen),
    authenticationMethods: metadata.amr,
    authenticationContextClass: metadata.acr ?? "",
    attributes: metadata.attributes,
  });
}

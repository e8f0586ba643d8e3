import type { Client } from "../store/client-store.js";

/** Where a client's logout tokens go. */
export interface DeliveryTarget {
  url: string;
  /** Scheme, host and port: what connection limits apply to. */
  destination: string;
  /** For logs: the host and port, never the path or query. */
  host: string;
}

/**
 * The client's back-channel logout URI as a delivery target, or why it has
 * none any more. The client is looked up at send time: one deleted,
 * disabled or stripped of its URI since the notification was queued ends the
 * notification instead of retrying it.
 */
export function deliveryTarget(clientId: string, client: Client | undefined): DeliveryTarget | { error: string } {
  if (client === undefined) return { error: `the client ${clientId} no longer exists` };
  if (!client.enabled) return { error: `the client ${clientId} is disabled` };
  if (client.backchannelLogoutUri === undefined || client.backchannelLogoutUri === "") {
    return { error: `the client ${clientId} has no back-channel logout URI` };
  }
  let url: URL;
  try {
    url = new URL(client.backchannelLogoutUri);
  } catch {
    return { error: `the back-channel logout URI of the client ${clientId} is not a valid URL` };
  }
  return { url: client.backchannelLogoutUri, destination: `${url.protocol}//${url.host}`, host: url.host };
}

import type { ClaimedNotification } from "../store/notification-outbox.js";

/** What the dispatcher needs from tracing, when it is on: a span around each delivery attempt. */
export interface DeliveryTracing {
  /** Runs one attempt of `claim` inside its delivery span. */
  attempt<T>(claim: ClaimedNotification, work: () => Promise<T>): Promise<T>;
}

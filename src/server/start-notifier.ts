import type { Logger } from "pino";
import { createAddressPolicy, parseAddressRanges } from "../domain/special-use-address.js";
import { startDispatcher, type Dispatcher, type DispatcherDeps } from "../notifier/dispatcher.js";
import { createLogoutPoster } from "../notifier/logout-poster.js";
import { withLogoutUriCheck } from "../notifier/logout-uri-check.js";
import { createLogoutTokenMinter } from "../notifier/logout-token.js";
import type { SigningKeys } from "../notifier/signing-keys.js";
import type { Stores } from "../store/stores.js";
import { deliverySpans, withPostSpans } from "../tracing/delivery-spans.js";
import type { Tracing } from "../tracing/tracing.js";
import type { Config } from "./config.js";

/** Starts delivering the outbox as configured, signing with `keys`; with `tracing`, each attempt and POST is a span. */
export function startNotifier(
  config: Config,
  stores: Stores,
  keys: SigningKeys,
  logger: Logger,
  onAttempt?: DispatcherDeps["onAttempt"],
  tracing?: Tracing,
): Dispatcher {
  const allowed = parseAddressRanges(config.notifierAllowAddresses ?? "");
  if ("error" in allowed) throw new Error(`--notifier-allow-addresses: ${allowed.error}`);
  const checked = withLogoutUriCheck(
    createLogoutPoster({
      policy: createAddressPolicy(allowed.ranges),
      timeoutMs: config.notifierTimeoutMs,
      maxSocketsPerDestination: config.notifierPerDestination,
    }),
    { allowHttp: config.allowHttpLogoutUris },
  );
  const poster = tracing === undefined ? checked : withPostSpans(checked, tracing);
  return startDispatcher(
    { stores, minter: createLogoutTokenMinter(keys, config.issuer), poster, logger, onAttempt, tracing: tracing && deliverySpans(tracing) },
    {
      concurrency: config.notifierConcurrency,
      perDestination: config.notifierPerDestination,
      timeoutMs: config.notifierTimeoutMs,
      pollMs: config.notifierPollMs,
      schedule: {
        maxAttempts: config.notifierMaxAttempts,
        baseDelayMs: config.notifierRetryBaseMs,
        maxDelayMs: config.notifierRetryMaxMs,
      },
      stopGraceMs: config.shutdownGraceMs,
    },
  );
}

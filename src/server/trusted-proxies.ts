import type { Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { parseAddressRanges } from "../domain/special-use-address.js";
import { trustedProxyInterceptor } from "../service/auth/trusted-proxies.js";
import type { Config } from "./config.js";

/** The interceptor that reads a trusted sidecar's x-forwarded-client-cert, for the configured --trusted-proxies (none: always ignored). */
export function trustedProxies(config: Pick<Config, "trustedProxies">, logger: Logger): Interceptor {
  if (config.trustedProxies === undefined) return trustedProxyInterceptor(undefined, logger);
  const parsed = parseAddressRanges(config.trustedProxies);
  if ("error" in parsed) throw new Error(`--trusted-proxies: ${parsed.error}`);
  return trustedProxyInterceptor(parsed.ranges, logger);
}

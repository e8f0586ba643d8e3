/** How traces are sampled: the OpenTelemetry sampler names. */
export type SamplerName =
  | "always_on"
  | "always_off"
  | "traceidratio"
  | "parentbased_always_on"
  | "parentbased_always_off"
  | "parentbased_traceidratio";

/** Tracing as configured by the standard OTEL_* variables; present only when tracing is on. */
export interface TracingOptions {
  /** "otlp": OTLP over HTTP (JSON) to `endpoint`; "console": spans printed on stdout, for trying it out. */
  exporter: "otlp" | "console";
  /** The full URL spans are POSTed to (…/v1/traces). */
  endpoint: string;
  headers: Record<string, string>;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  sampler: SamplerName;
  /** The ratio of the *traceidratio samplers, 0 to 1. */
  samplerRatio: number;
}

const samplers: readonly SamplerName[] = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
];

/**
 * Reads the OpenTelemetry SDK variables this service honours:
 * OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER (otlp, console, none),
 * OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS and _PROTOCOL (http/json
 * only), OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER
 * and OTEL_TRACES_SAMPLER_ARG. Returns undefined when they turn tracing off,
 * or the error naming the variable.
 */
export function readTracingOptions(env: NodeJS.ProcessEnv): TracingOptions | undefined | { error: string } {
  const get = (name: string) => (env[name] === undefined || env[name]!.trim() === "" ? undefined : env[name]!.trim());
  if (get("OTEL_SDK_DISABLED")?.toLowerCase() === "true") return undefined;
  const exporter = (get("OTEL_TRACES_EXPORTER") ?? "otlp").toLowerCase();
  if (exporter === "none") return undefined;
  if (exporter !== "otlp" && exporter !== "console") return { error: `OTEL_TRACES_EXPORTER: expected otlp, console or none, got "${exporter}"` };
  const protocolName = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const protocol = get(protocolName);
  if (protocol !== undefined && protocol !== "http/json") {
    return { error: `${protocolName}: only http/json is supported (OTLP over HTTP with JSON bodies, which collectors accept on port 4318), got "${protocol}"` };
  }
  const endpoint = tracesEndpoint(get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), get("OTEL_EXPORTER_OTLP_ENDPOINT"));
  if ("error" in endpoint) return endpoint;
  const headersName = env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ? "OTEL_EXPORTER_OTLP_TRACES_HEADERS" : "OTEL_EXPORTER_OTLP_HEADERS";
  const headers = keyValueList(get(headersName), headersName);
  if ("error" in headers) return headers;
  const resourceAttributes = keyValueList(get("OTEL_RESOURCE_ATTRIBUTES"), "OTEL_RESOURCE_ATTRIBUTES");
  if ("error" in resourceAttributes) return resourceAttributes;
  const sampler = (get("OTEL_TRACES_SAMPLER") ?? "parentbased_always_on").toLowerCase() as SamplerName;
  if (!samplers.includes(sampler)) return { error: `OTEL_TRACES_SAMPLER: expected one of ${samplers.join(", ")}, got "${sampler}"` };
  const ratioText = get("OTEL_TRACES_SAMPLER_ARG") ?? "1";
  const samplerRatio = Number(ratioText);
  if (!/^\d*\.?\d+$/.test(ratioText) || samplerRatio > 1) return { error: `OTEL_TRACES_SAMPLER_ARG: expected a ratio from 0 to 1, got "${ratioText}"` };
  return {
    exporter,
    endpoint: endpoint.url,
    headers: headers.values,
    serviceName: get("OTEL_SERVICE_NAME") ?? resourceAttributes.values["service.name"] ?? "session-management",
    resourceAttributes: resourceAttributes.values,
    sampler,
    samplerRatio,
  };
}

// The signal-specific variable is the whole URL; the general one is a base to which /v1/traces is added.
function tracesEndpoint(traces: string | undefined, base: string | undefined): { url: string } | { error: string } {
  const [name, url] =
    traces !== undefined
      ? ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces]
      : ["OTEL_EXPORTER_OTLP_ENDPOINT", `${(base ?? "http://localhost:4318").replace(/\/+$/, "")}/v1/traces`];
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { error: `${name}: must be an http(s) URL` };
  } catch {
    return { error: `${name}: must be an http(s) URL, got "${url}"` };
  }
  return { url };
}

// `key1=value1,key2=value2`, values percent-encoded (W3C Baggage style), as the OTEL_* lists are.
function keyValueList(text: string | undefined, name: string): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  for (const item of (text ?? "").split(",").map((i) => i.trim()).filter((i) => i !== "")) {
    const at = item.indexOf("=");
    if (at <= 0) return { error: `${name}: expected key=value pairs separated by commas` };
    try {
      values[decodeURIComponent(item.slice(0, at).trim())] = decodeURIComponent(item.slice(at + 1).trim());
    } catch {
      return { error: `${name}: a badly percent-encoded value` };
    }
  }
  return { values };
}

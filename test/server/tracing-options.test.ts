import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readConfig } from "../../src/server/config.js";
import { readTracingOptions } from "../../src/server/tracing-options.js";

describe("readTracingOptions()", () => {
  it("should export OTLP over HTTP to the local collector, always sampling unless the parent says no, by default", () => {
    assert.deepEqual(readTracingOptions({}), {
      exporter: "otlp",
      endpoint: "http://localhost:4318/v1/traces",
      headers: {},
      serviceName: "session-management",
      resourceAttributes: {},
      sampler: "parentbased_always_on",
      samplerRatio: 1,
    });
  });

  it("should read the standard OTEL_* variables, the signal-specific ones first", () => {
    const options = readTracingOptions({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector.observability:4318/",
      OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=ops,authorization=Bearer%20abc",
      OTEL_SERVICE_NAME: "sessions-eu",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod,service.name=ignored",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    });
    assert.deepEqual(options, {
      exporter: "otlp",
      endpoint: "http://collector.observability:4318/v1/traces",
      headers: { "x-tenant": "ops", authorization: "Bearer abc" },
      serviceName: "sessions-eu",
      resourceAttributes: { "deployment.environment": "prod", "service.name": "ignored" },
      sampler: "parentbased_traceidratio",
      samplerRatio: 0.25,
    });
    const traces = readTracingOptions({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://b/otlp/traces" });
    assert.equal((traces as { endpoint: string }).endpoint, "https://b/otlp/traces");
    assert.equal((readTracingOptions({ OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attributes" }) as { serviceName: string }).serviceName, "from-attributes");
  });

  it("should be off with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none", () => {
    assert.equal(readTracingOptions({ OTEL_SDK_DISABLED: "true" }), undefined);
    assert.equal(readTracingOptions({ OTEL_TRACES_EXPORTER: "none" }), undefined);
  });

  it("should refuse what it cannot honour, naming the variable", () => {
    const refused: [NodeJS.ProcessEnv, RegExp][] = [
      [{ OTEL_TRACES_EXPORTER: "jaeger" }, /^OTEL_TRACES_EXPORTER: expected otlp, console or none/],
      [{ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /^OTEL_EXPORTER_OTLP_PROTOCOL: only http\/json/],
      [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf" }, /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: only http\/json/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, /^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/],
      [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "not a url" }, /^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http\(s\) URL/],
      [{ OTEL_EXPORTER_OTLP_HEADERS: "novalue" }, /^OTEL_EXPORTER_OTLP_HEADERS: expected key=value/],
      [{ OTEL_RESOURCE_ATTRIBUTES: "a=%zz" }, /^OTEL_RESOURCE_ATTRIBUTES: a badly percent-encoded value/],
      [{ OTEL_TRACES_SAMPLER: "sometimes" }, /^OTEL_TRACES_SAMPLER: expected one of/],
      [{ OTEL_TRACES_SAMPLER_ARG: "1.5" }, /^OTEL_TRACES_SAMPLER_ARG: expected a ratio/],
      [{ OTEL_TRACES_SAMPLER_ARG: "-0.1" }, /^OTEL_TRACES_SAMPLER_ARG: expected a ratio/],
    ];
    for (const [env, reason] of refused) {
      const result = readTracingOptions(env);
      assert.ok(result !== undefined && "error" in result, JSON.stringify(env));
      assert.match(result.error, reason);
    }
  });
});

describe("readConfig() with tracing", () => {
  it("should read the OTEL_* variables only when --tracing is on, and name the flag in their errors", () => {
    assert.equal((readConfig([], { OTEL_TRACES_SAMPLER: "sometimes" }) as { config: { tracing?: unknown } }).config.tracing, undefined);
    assert.match((readConfig(["--tracing"], { OTEL_TRACES_SAMPLER: "sometimes" }) as { error: string }).error, /^--tracing \(TRACING\): OTEL_TRACES_SAMPLER:/);
    const on = readConfig([], { TRACING: "true", OTEL_SERVICE_NAME: "sessions" }) as { config: { tracing?: { serviceName: string } } };
    assert.equal(on.config.tracing?.serviceName, "sessions");
  });
});

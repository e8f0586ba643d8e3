import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import type { Stores } from "../../src/store/stores.js";
import { startTracing } from "../../src/tracing/start-tracing.js";
import { statementSpans } from "../../src/tracing/statement-spans.js";
import type { Tracing } from "../../src/tracing/tracing.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { sessionManagementClient, type SessionManagementClient } from "../support/grpc-client.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { testConfig } from "../support/server.js";

const [sqlite] = await testBackends();
const serverKind = 2;
const clientKind = 3;
const consumerKind = 5;

/** The spans as an indented tree (children under their parent, links after a ~>), for reading in the test output. */
function treeText(spans: readonly ReceivedSpan[]): string {
  const lines: string[] = [];
  const byParent = new Map<string | undefined, ReceivedSpan[]>();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const span of spans) {
    const parent = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  const walk = (span: ReceivedSpan, depth: number) => {
    const shown = ["rpc.grpc.status_code", "server.address", "server.port", "http.response.status_code", "session_management.client_id", "db.system.name"]
      .filter((key) => span.attributes[key] !== undefined)
      .map((key) => `${key}=${span.attributes[key]}`);
    const links = span.links.map((link) => ` ~> linked to ${link.traceId.slice(0, 8)}…/${link.spanId}`).join("");
    lines.push(`${"  ".repeat(depth)}${span.name} [trace ${span.traceId.slice(0, 8)}… span ${span.spanId}] ${shown.join(" ")}${links}`);
    for (const child of byParent.get(span.spanId) ?? []) walk(child, depth + 1);
  };
  for (const root of byParent.get(undefined) ?? []) walk(root, 0);
  return lines.join("\n");
}

describe("OpenTelemetry traces of a RemoveSessions with two relying parties", () => {
  let otlp: OtlpReceiver;
  let tracing: Tracing;
  let relyingParties: LogoutReceiver;
  let db: TestDatabase;
  let stores: Stores;
  let server: RunningServer;
  let client: SessionManagementClient;
  const logLines: Record<string, unknown>[] = [];

  before(async () => {
    otlp = await startOtlpReceiver();
    tracing = await startTracing({
      exporter: "otlp",
      endpoint: otlp.url,
      headers: {},
      serviceName: "session-management-test",
      resourceAttributes: {},
      sampler: "parentbased_always_on",
      samplerRatio: 1,
    });
    relyingParties = await startReceiver();
    db = await sqlite!.open();
    stores = createStores(db.database, statementSpans(tracing, db.database.engine));
    const logger = pino({ level: "info", mixin: tracing.logFields }, { write: (line: string) => logLines.push(JSON.parse(line)) });
    server = await startServer(
      testConfig({ databaseUrl: db.url, notifier: true, notifierAllowAddresses: "127.0.0.1", allowHttpLogoutUris: true, notifierPollMs: 200, logLevel: "info" }),
      stores,
      logger,
      tracing,
    );
    client = sessionManagementClient(server.port);
  });
  after(async () => {
    client?.close();
    await server?.close();
    await db?.drop();
    await tracing?.shutdown();
    await relyingParties?.close();
    await otlp?.close();
  });

  it("should continue the caller's trace, with statement spans under the call and each delivery linked to it with its POST below", async () => {
    for (const clientId of ["rp-one", "rp-two"]) {
      await stores.clients.put({ clientId, enabled: true, backchannelLogoutUri: relyingParties.url(`/${clientId}/logout`), backchannelLogoutSessionRequired: true });
    }
    const [session] = await createSessions(stores, [{ clientIds: ["rp-one", "rp-two"] }]);
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    await client.removeSessions({ subject_id: session!.subjectId }, { metadata: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
    await relyingParties.waitFor(2);

    const spans = await eventually("the call's and both deliveries' spans exported", async () => {
      await tracing.flush();
      const posts = otlp.spans.filter((s) => s.name === "POST");
      const delivered = (await stores.outbox.list({ subjectId: session!.subjectId }, 10)).every((row) => row.status === "delivered");
      return posts.length === 2 && delivered ? [...otlp.spans] : undefined;
    });
    await tracing.flush();
    const all = [...otlp.spans];
    console.log(`trace tree:\n${treeText(all.filter((s) => s.traceId === traceId || s.links.some((l) => l.traceId === traceId) || all.some((d) => d.spanId === s.parentSpanId && d.links.some((l) => l.traceId === traceId))))}`);

    const call = spans.find((s) => s.name === "sessionmanagement.v1.SessionManagement/RemoveSessions");
    assert.ok(call, "a server span for the call");
    assert.deepEqual([call.traceId, call.parentSpanId, call.kind], [traceId, callerSpanId, serverKind]);
    assert.deepEqual(
      { ...call.attributes },
      { "rpc.system": "grpc", "rpc.service": "sessionmanagement.v1.SessionManagement", "rpc.method": "RemoveSessions", "rpc.grpc.status_code": 0 },
    );
    assert.equal(call.serviceName, "session-management-test");

    const statements = all.filter((s) => s.parentSpanId === call.spanId);
    assert.ok(statements.length > 0 && statements.every((s) => s.kind === clientKind && s.traceId === traceId && s.attributes["db.system.name"] === "sqlite"));
    const insert = statements.find((s) => s.name === "INSERT logout_notifications");
    assert.ok(insert, `an INSERT into the outbox among ${statements.map((s) => s.name).join(", ")}`);
    assert.match(String(insert.attributes["db.query.text"]), /^INSERT INTO logout_notifications \(.*trace_context\) VALUES \(\?/);

    const deliveries = spans.filter((s) => s.name === "deliver logout_notifications");
    assert.equal(deliveries.length, 2);
    assert.deepEqual(deliveries.map((d) => d.attributes["session_management.client_id"]).sort(), ["rp-one", "rp-two"]);
    for (const delivery of deliveries) {
      assert.equal(delivery.kind, consumerKind);
      assert.equal(delivery.parentSpanId, undefined, "a trace of its own");
      assert.notEqual(delivery.traceId, traceId);
      assert.deepEqual(delivery.links, [{ traceId, spanId: call.spanId }], "linked to the call that queued it");
      const [post, ...more] = all.filter((s) => s.parentSpanId === delivery.spanId && s.name === "POST");
      assert.ok(post && more.length === 0, "one POST under each delivery");
      assert.equal(post.kind, clientKind);
      assert.equal(post.traceId, delivery.traceId);
      assert.deepEqual(
        [post.attributes["server.address"], post.attributes["server.port"], post.attributes["http.response.status_code"]],
        ["127.0.0.1", relyingParties.port, 200],
      );
    }
    assert.ok(otlp.requests.every((r) => r.contentType?.startsWith("application/json")));
  });

  it("should put the call's trace id in every log line of the call", () => {
    const callLines = logLines.filter((line) => line.msg === "call" && line.method === "sessionmanagement.v1.SessionManagement/RemoveSessions");
    const auditLines = logLines.filter((line) => line.msg === "audit");
    assert.equal(callLines.length, 1);
    assert.ok(auditLines.length >= 1);
    const traceId = callLines[0]!.traceId;
    assert.match(String(traceId), /^[0-9a-f]{32}$/);
    assert.ok(auditLines.every((line) => line.traceId === traceId));
    const attempts = logLines.filter((line) => line.msg === "logout notification attempt");
    assert.equal(attempts.length, 2);
    assert.ok(attempts.every((line) => typeof line.traceId === "string" && line.traceId !== traceId), "deliveries log their own trace");
  });

  it("should ignore a malformed traceparent and start a new trace, answering the call as usual", async () => {
    for (const malformed of ["00-xyz-123-01", `ff-${"a".repeat(32)}-${"b".repeat(16)}-01`, `00-${"0".repeat(32)}-${"b".repeat(16)}-01`, "garbage"]) {
      const before = otlp.spans.length;
      assert.deepEqual((await client.querySessions({ subject_id: "nobody" }, { metadata: { traceparent: malformed } })).results, []);
      const span = await eventually("the query's span", async () => {
        await tracing.flush();
        return otlp.spans.slice(before).find((s) => s.name === "sessionmanagement.v1.SessionManagement/QuerySessions");
      });
      assert.equal(span.parentSpanId, undefined, malformed);
      assert.match(span.traceId, /^[0-9a-f]{32}$/);
      assert.ok(!malformed.includes(span.traceId));
    }
  });
});

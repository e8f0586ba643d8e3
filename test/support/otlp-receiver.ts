import http from "node:http";
import type { AddressInfo } from "node:net";

/** A span as an OTLP/HTTP JSON export carries it, with its attributes flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  links: { traceId: string; spanId: string }[];
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  serviceName?: string;
}

/** An OpenTelemetry collector's OTLP/HTTP traces endpoint, on loopback, that keeps what it receives. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>/v1/traces` */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** How many export requests arrived, and with which content type. */
  readonly requests: { contentType?: string }[];
  close(): Promise<void>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };

/** Starts a receiver on 127.0.0.1 and a free port; it answers every export with 200 and an empty JSON body. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: { contentType?: string }[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push({ contentType: request.headers["content-type"] });
      if (request.url === "/v1/traces" && request.headers["content-type"]?.startsWith("application/json")) {
        spans.push(...readExport(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readExport(body: { resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] }): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resource) => {
    const serviceName = attributes(resource.resource?.attributes)["service.name"] as string | undefined;
    return (resource.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: span.traceId as string,
        spanId: span.spanId as string,
        ...(span.parentSpanId ? { parentSpanId: span.parentSpanId as string } : {}),
        name: span.name as string,
        kind: span.kind as number,
        attributes: attributes(span.attributes as KeyValue[] | undefined),
        links: ((span.links as { traceId: string; spanId: string }[] | undefined) ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
        statusCode: (span.status as { code?: number } | undefined)?.code ?? 0,
        serviceName,
      })),
    );
  });
}

function attributes(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries(
    (list ?? []).map(({ key, value }) => [
      key,
      value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.boolValue ?? value.doubleValue ?? "",
    ]),
  );
}

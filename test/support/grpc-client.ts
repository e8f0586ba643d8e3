import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { testApiKey } from "./test-credentials.js";

const protoRoot = fileURLToPath(new URL("../../proto", import.meta.url));

/** A message as @grpc/proto-loader decodes it: snake_case fields, 64-bit ints as strings. */
export type Message = Record<string, any>;

/** The status of a failed call. */
export interface CallError {
  code: grpc.status;
  details: string;
}

/** A SessionManagement client built at run time from proto/ with @grpc/grpc-js. */
export interface SessionManagementClient {
  querySessions(request: Message, options?: CallOptions): Promise<Message>;
  removeSessions(request: Message, options?: CallOptions): Promise<Message>;
  close(): void;
}

/** Per-call settings. */
export interface CallOptions {
  deadlineMs?: number;
}

/** How a client connects and which credential it presents. */
export interface ClientOptions {
  /** Sent as `authorization: Bearer <value>`; the all-permissions test key by default, null for none. */
  bearer?: string | null;
  /** Channel credentials (TLS); cleartext h2c by default. */
  channel?: grpc.ChannelCredentials;
  /** Host to connect to; 127.0.0.1 by default. */
  host?: string;
  /** Extra channel options (e.g. the TLS name override). */
  channelOptions?: grpc.ChannelOptions;
}

/**
 * Connects an independent gRPC implementation (grpc-js + protobuf.js, which
 * share no code with the server's Connect and protobuf-es) to the server.
 */
export function sessionManagementClient(port: number, options: ClientOptions = {}): SessionManagementClient {
  return grpcServiceClient(port, "session_management.proto", "SessionManagement", ["QuerySessions", "RemoveSessions"], options);
}

/** Awaits a call that must fail; returns its status. */
export async function callError(call: Promise<unknown>): Promise<CallError> {
  try {
    await call;
  } catch (error) {
    return error as CallError;
  }
  throw new Error("the call succeeded but was expected to fail");
}

/** Whether a proto3 `optional` field was present in a decoded message. */
export function has(message: Message, field: string): boolean {
  return message[`_${field}`] === field;
}

export { grpc };

/** A LogoutNotifications client built at run time from proto/ with @grpc/grpc-js. */
export interface LogoutNotificationsClient {
  listNotifications(request: Message, options?: CallOptions): Promise<Message>;
  retryNotifications(request: Message, options?: CallOptions): Promise<Message>;
  close(): void;
}

/** Connects the independent grpc-js client to the server's LogoutNotifications service. */
export function logoutNotificationsClient(port: number, options: ClientOptions = {}): LogoutNotificationsClient {
  return grpcServiceClient(port, "logout_notifications.proto", "LogoutNotifications", ["ListNotifications", "RetryNotifications"], options);
}

/** One unary method of a service client: the request in, the response out, a failure as a CallError. */
export type UnaryCall = (request: Message, options?: CallOptions) => Promise<Message>;

/** A client of one service, with a call per RPC named in lower camel case (CreateSession → createSession). */
export type ServiceClient<M extends string> = { [K in M as Uncapitalize<K>]: UnaryCall } & { close(): void };

/**
 * Connects the independent grpc-js client to any sessionmanagement.v1
 * service in proto/, e.g. `grpcServiceClient(port, "session_store.proto",
 * "SessionStore", ["CreateSession"])`.
 */
export function grpcServiceClient<M extends string>(
  port: number,
  protoFile: string,
  service: string,
  methods: readonly M[],
  options: ClientOptions = {},
): ServiceClient<M> {
  const client = connect(port, protoFile, service, options);
  const bearer = options.bearer === undefined ? testApiKey : options.bearer;
  const unary =
    (method: string): UnaryCall =>
    (request, callOptions = {}) =>
      new Promise<Message>((resolve, reject) => {
        const deadline = new Date(Date.now() + (callOptions.deadlineMs ?? 30_000));
        const metadata = new grpc.Metadata();
        if (bearer !== null) metadata.set("authorization", `Bearer ${bearer}`);
        (client as any)[method](request, metadata, { deadline }, (error: grpc.ServiceError | null, response: Message) =>
          error ? reject({ code: error.code, details: error.details } satisfies CallError) : resolve(response),
        );
      });
  const calls = Object.fromEntries(methods.map((m) => [m[0]!.toLowerCase() + m.slice(1), unary(m)]));
  return { ...calls, close: () => client.close() } as ServiceClient<M>;
}

/** A SessionStore client (identity providers' sessions). */
export function sessionStoreClient(port: number, options: ClientOptions = {}) {
  return grpcServiceClient(port, "session_store.proto", "SessionStore", [
    "CreateSession",
    "GetSession",
    "UpdateSession",
    "DeleteSession",
    "GetSessions",
    "DeleteSessions",
  ], options);
}

/** A GrantStore client (identity providers' persisted grants). */
export function grantStoreClient(port: number, options: ClientOptions = {}) {
  return grpcServiceClient(port, "grant_store.proto", "GrantStore", ["StoreGrant", "GetGrant", "ListGrants", "RemoveGrant", "RemoveGrants"], options);
}

/** A ClientRegistry client (relying-party clients). */
export function clientRegistryClient(port: number, options: ClientOptions = {}) {
  return grpcServiceClient(port, "client_registry.proto", "ClientRegistry", ["PutClient", "GetClient", "ListClients", "DeleteClient"], options);
}

/**
 * Opens a server-streaming call with the independent grpc-js client; the
 * returned stream is async-iterable (its messages) and fails with the call's
 * status. close() cancels the call and closes the channel.
 */
export function serverStreamingCall(
  port: number,
  protoFile: string,
  service: string,
  method: string,
  request: Message,
  options: ClientOptions = {},
): { stream: grpc.ClientReadableStream<Message>; close(): void } {
  const client = connect(port, protoFile, service, options);
  const metadata = new grpc.Metadata();
  const bearer = options.bearer === undefined ? testApiKey : options.bearer;
  if (bearer !== null) metadata.set("authorization", `Bearer ${bearer}`);
  const stream = (client as any)[method](request, metadata) as grpc.ClientReadableStream<Message>;
  return {
    stream,
    close() {
      stream.cancel();
      client.close();
    },
  };
}

// A grpc-js client of one sessionmanagement.v1 service, loaded from proto/ at run time.
function connect(port: number, protoFile: string, service: string, options: ClientOptions): grpc.Client {
  const definition = protoLoader.loadSync(`sessionmanagement/v1/${protoFile}`, {
    includeDirs: [protoRoot],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as any;
  const Client = loaded.sessionmanagement.v1[service] as grpc.ServiceClientConstructor;
  return new Client(`${options.host ?? "127.0.0.1"}:${port}`, options.channel ?? grpc.credentials.createInsecure(), options.channelOptions);
}

import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

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

/**
 * Connects an independent gRPC implementation (grpc-js + protobuf.js, which
 * share no code with the server's Connect and protobuf-es) to the server.
 */
export function sessionManagementClient(port: number): SessionManagementClient {
  const definition = protoLoader.loadSync("sessionmanagement/v1/session_management.proto", {
    includeDirs: [protoRoot],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as any;
  const Client = loaded.sessionmanagement.v1.SessionManagement as grpc.ServiceClientConstructor;
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const unary =
    (method: string) =>
    (request: Message, options: CallOptions = {}) =>
      new Promise<Message>((resolve, reject) => {
        const deadline = new Date(Date.now() + (options.deadlineMs ?? 30_000));
        (client as any)[method](request, { deadline }, (error: grpc.ServiceError | null, response: Message) =>
          error ? reject({ code: error.code, details: error.details } satisfies CallError) : resolve(response),
        );
      });
  return {
    querySessions: unary("QuerySessions"),
    removeSessions: unary("RemoveSessions"),
    close: () => client.close(),
  };
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

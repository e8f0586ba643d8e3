import { readFileSync } from "node:fs";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuditLog } from "../../../gen/ts/sessionmanagement/v1/audit_log_pb.js";
import { ClientRegistry } from "../../../gen/ts/sessionmanagement/v1/client_registry_pb.js";
import { LogoutNotifications } from "../../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { SessionManagement } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { SessionExport, SessionTermination } from "../../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { CliError, ExitCode, UsageError } from "./errors.js";

/** Where the server is and how to prove who is calling. */
export interface ConnectionSettings {
  /** host:port, or a full http(s):// URL. */
  address: string;
  key?: string;
  /** PEM CA file: connect with TLS and trust this CA. */
  ca?: string;
  /** PEM client certificate and its key, for mutual TLS. */
  cert?: string;
  certKey?: string;
}

/** The address used when neither --address nor SESSIONCTL_ADDRESS is given. */
export const defaultAddress = "127.0.0.1:50051";

/** The flags shared by every command, for the argument parser. */
export const connectionOptions = {
  address: { type: "string", value: "HOST:PORT", description: `server address (SESSIONCTL_ADDRESS; default ${defaultAddress})` },
  key: { type: "string", value: "KEY", description: "API key or access token (SESSIONCTL_KEY)" },
  ca: { type: "string", value: "FILE", description: "PEM CA file: connect with TLS, trusting this CA" },
  cert: { type: "string", value: "FILE", description: "PEM client certificate for mutual TLS (with --cert-key)" },
  "cert-key": { type: "string", value: "FILE", description: "PEM key of the client certificate" },
} as const;

/** Reads the settings from the parsed flags, then the environment, then the defaults. */
export function connectionSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv): ConnectionSettings {
  const text = (name: string) => (typeof values[name] === "string" && values[name] !== "" ? (values[name] as string) : undefined);
  const settings: ConnectionSettings = {
    address: text("address") ?? (env.SESSIONCTL_ADDRESS || defaultAddress),
    key: text("key") ?? (env.SESSIONCTL_KEY || undefined),
    ca: text("ca"),
    cert: text("cert"),
    certKey: text("cert-key"),
  };
  if ((settings.cert === undefined) !== (settings.certKey === undefined)) throw new UsageError("--cert and --cert-key: give both or neither");
  return settings;
}

/** The services sessionctl calls. */
export interface Services {
  sessions: Client<typeof SessionManagement>;
  clients: Client<typeof ClientRegistry>;
  notifications: Client<typeof LogoutNotifications>;
  audit: Client<typeof AuditLog>;
  termination: Client<typeof SessionTermination>;
  export: Client<typeof SessionExport>;
}

/**
 * Connects with gRPC over HTTP/2: cleartext (h2c) by default, TLS when a CA
 * or a client certificate is given or the address says https://.
 */
export function connect(settings: ConnectionSettings): Services {
  const transport = createTransport(settings);
  return {
    sessions: createClient(SessionManagement, transport),
    clients: createClient(ClientRegistry, transport),
    notifications: createClient(LogoutNotifications, transport),
    audit: createClient(AuditLog, transport),
    termination: createClient(SessionTermination, transport),
    export: createClient(SessionExport, transport),
  };
}

function createTransport(settings: ConnectionSettings): Transport {
  const tls = settings.ca !== undefined || settings.cert !== undefined || settings.address.startsWith("https://");
  const baseUrl = /^https?:\/\//.test(settings.address) ? settings.address : `${tls ? "https" : "http"}://${settings.address}`;
  const interceptors: Interceptor[] = [];
  const key = settings.key;
  if (key !== undefined) {
    interceptors.push((next) => (request) => {
      request.header.set("authorization", `Bearer ${key}`);
      return next(request);
    });
  }
  const nodeOptions = tls
    ? { ca: pem(settings.ca, "--ca"), cert: pem(settings.cert, "--cert"), key: pem(settings.certKey, "--cert-key") }
    : undefined;
  return createGrpcTransport({ baseUrl, interceptors, nodeOptions, defaultTimeoutMs: 60_000 });
}

function pem(path: string | undefined, flag: string): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`${flag} ${path}: cannot be read: ${(error as Error).message}`, ExitCode.usage);
  }
}

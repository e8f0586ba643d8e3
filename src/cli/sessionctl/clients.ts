import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  ClientSchema,
  DeleteClientResponseSchema,
  LogoutTokenType,
  type Client,
} from "../../../gen/ts/sessionmanagement/v1/client_registry_pb.js";
import type { Client as ClientSettings } from "../../domain/client.js";
import { readClientsFile } from "../../server/clients-file.js";
import { flag, stringValue, type Command, type CommandContext } from "./command.js";
import { CliError, describeFailure, ExitCode, UsageError } from "./errors.js";
import { orDash, writeJsonLine, writeTable, type Column } from "./output.js";
import { noteMore, pagingOptions, walkPages } from "./paging.js";

// The logout token types as the clients file and --token-type name them.
const tokenTypes: Record<string, LogoutTokenType> = {
  "logout+jwt": LogoutTokenType.LOGOUT_JWT,
  JWT: LogoutTokenType.JWT,
  none: LogoutTokenType.NONE,
};

function tokenTypeName(type: LogoutTokenType): string {
  return Object.entries(tokenTypes).find(([, value]) => value === type)?.[0] ?? "logout+jwt";
}

const clientColumns: Column<Client>[] = [
  { title: "client id", cell: (c) => c.clientId },
  { title: "enabled", cell: (c) => (c.enabled === false ? "no" : "yes") },
  { title: "logout uri", cell: (c) => orDash(c.backchannelLogoutUri) },
  { title: "sid required", cell: (c) => (c.backchannelLogoutSessionRequired === false ? "no" : "yes") },
  { title: "token type", cell: (c) => tokenTypeName(c.logoutTokenType) },
];

function printClients(context: CommandContext, clients: Client[]): void {
  if (flag(context, "json")) for (const client of clients) writeJsonLine(context.stdout, ClientSchema, client);
  else writeTable(context.stdout, clientColumns, clients);
}

const jsonOption = { json: { type: "boolean", description: "print JSON instead of a table" } } as const;

/** The one client id a command works on: the argument or --client-id. */
function clientIdOf(context: CommandContext): string {
  const ids = [...context.args, ...(stringValue(context, "client-id") !== undefined ? [stringValue(context, "client-id")!] : [])];
  if (ids.length !== 1) throw new UsageError("name one client: sessionctl clients <command> CLIENT_ID");
  return ids[0]!;
}

/** `clients list`: the registered clients in registration order. */
export const listClients: Command = {
  group: "clients",
  name: "list",
  summary: "list registered relying-party clients",
  usage: "",
  options: { ...pagingOptions },
  async run(context) {
    const walk = await walkPages(context, (countRequested, resultsToken) => context.services().clients.listClients({ countRequested, resultsToken }));
    printClients(context, walk.rows);
    noteMore(context, walk);
    return ExitCode.ok;
  },
};

/** `clients get ID`: one client's settings. */
export const getClient: Command = {
  group: "clients",
  name: "get",
  summary: "show one client",
  usage: "CLIENT_ID",
  options: { "client-id": { type: "string", value: "ID", description: "the client (instead of the argument)" }, ...jsonOption },
  async run(context) {
    const { client } = await context.services().clients.getClient({ clientId: clientIdOf(context) });
    printClients(context, client === undefined ? [] : [client]);
    return ExitCode.ok;
  },
};

/** `clients put`: creates or replaces a client from flags. */
export const putClient: Command = {
  group: "clients",
  name: "put",
  summary: "create or replace a client (unset settings take their defaults)",
  usage: "--client-id ID [--logout-uri URL]",
  options: {
    "client-id": { type: "string", value: "ID", description: "the client id (required)" },
    "logout-uri": { type: "string", value: "URL", description: "where back-channel logout tokens are POSTed" },
    "session-required": { type: "boolean", description: "logout tokens must carry the session id (the default)" },
    "no-session-required": { type: "boolean", description: "the client accepts logout tokens without a session id" },
    "token-type": { type: "string", value: "TYPE", description: "logout token typ header: logout+jwt (default), JWT or none" },
    disabled: { type: "boolean", description: "register the client without notifying it" },
    ...jsonOption,
  },
  async run(context) {
    const clientId = clientIdOf(context);
    if (flag(context, "session-required") && flag(context, "no-session-required")) throw new UsageError("--session-required and --no-session-required: choose one");
    const typeName = stringValue(context, "token-type");
    if (typeName !== undefined && tokenTypes[typeName] === undefined) throw new UsageError(`--token-type: must be one of ${Object.keys(tokenTypes).join(", ")}`);
    const client = create(ClientSchema, {
      clientId,
      enabled: !flag(context, "disabled"),
      backchannelLogoutUri: stringValue(context, "logout-uri") ?? "",
      backchannelLogoutSessionRequired: !flag(context, "no-session-required"),
      logoutTokenType: typeName === undefined ? LogoutTokenType.UNSPECIFIED : tokenTypes[typeName]!,
    });
    const { client: stored } = await context.services().clients.putClient({ client });
    printClients(context, stored === undefined ? [] : [stored]);
    return ExitCode.ok;
  },
};

/** `clients delete ID`: unregisters a client. */
export const deleteClient: Command = {
  group: "clients",
  name: "delete",
  summary: "unregister a client (it gets no more notifications)",
  usage: "CLIENT_ID",
  options: { "client-id": { type: "string", value: "ID", description: "the client (instead of the argument)" }, ...jsonOption },
  async run(context) {
    const clientId = clientIdOf(context);
    const outcome = await context.services().clients.deleteClient({ clientId });
    if (flag(context, "json")) writeJsonLine(context.stdout, DeleteClientResponseSchema, outcome);
    else context.stdout.write(outcome.clientsRemoved > 0 ? `deleted ${clientId}\n` : `${clientId} was not registered\n`);
    return ExitCode.ok;
  },
};

/** `clients apply -f FILE`: registers every client of a clients file, as the server's --clients does. */
export const applyClients: Command = {
  group: "clients",
  name: "apply",
  summary: "create or update the clients of a YAML or JSON clients file (the server's --clients format)",
  usage: "-f FILE",
  details: ["Clients not in the file are left alone. Prints created, updated or unchanged per client."],
  options: {
    file: { type: "string", short: "f", value: "FILE", description: "the clients file (.yaml, .yml or .json)" },
    ...jsonOption,
  },
  async run(context) {
    const path = stringValue(context, "file");
    if (path === undefined) throw new UsageError("name the clients file: -f FILE");
    let settings: ClientSettings[];
    try {
      // The server applies its own policy on plain-http URIs when it receives them.
      settings = await readClientsFile(path, { allowHttp: true });
    } catch (error) {
      throw new CliError((error as Error).message, ExitCode.usage);
    }
    const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    for (const entry of settings) {
      const wanted = toMessage(entry);
      let outcome: keyof typeof counts;
      let problem: string | undefined;
      try {
        const existing = await currentClient(context, entry.clientId);
        if (existing !== undefined && sameSettings(existing, wanted)) outcome = "unchanged";
        else {
          await context.services().clients.putClient({ client: wanted });
          outcome = existing === undefined ? "created" : "updated";
        }
      } catch (error) {
        const failure = describeFailure(error, context.address);
        if (failure.exitCode === ExitCode.denied || failure.exitCode === ExitCode.unreachable) throw error;
        outcome = "failed";
        problem = failure.message;
      }
      counts[outcome]++;
      if (flag(context, "json")) context.stdout.write(`${JSON.stringify({ clientId: entry.clientId, outcome, ...(problem ? { error: problem } : {}) })}\n`);
      else context.stdout.write(`${entry.clientId}: ${outcome}${problem ? `: ${problem}` : ""}\n`);
    }
    if (!flag(context, "json")) {
      context.stdout.write(`${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged${counts.failed ? `, ${counts.failed} failed` : ""}\n`);
    }
    return counts.failed > 0 ? ExitCode.failure : ExitCode.ok;
  },
};

async function currentClient(context: CommandContext, clientId: string): Promise<Client | undefined> {
  try {
    return (await context.services().clients.getClient({ clientId })).client;
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.NotFound) return undefined;
    throw error;
  }
}

function toMessage(client: ClientSettings): Client {
  return create(ClientSchema, {
    clientId: client.clientId,
    enabled: client.enabled,
    backchannelLogoutUri: client.backchannelLogoutUri ?? "",
    backchannelLogoutSessionRequired: client.backchannelLogoutSessionRequired,
    logoutTokenType: tokenTypes[client.logoutTokenType ?? "logout+jwt"]!,
  });
}

function sameSettings(a: Client, b: Client): boolean {
  const type = (t: LogoutTokenType) => (t === LogoutTokenType.UNSPECIFIED ? LogoutTokenType.LOGOUT_JWT : t);
  return (
    (a.enabled ?? true) === (b.enabled ?? true) &&
    a.backchannelLogoutUri === b.backchannelLogoutUri &&
    (a.backchannelLogoutSessionRequired ?? true) === (b.backchannelLogoutSessionRequired ?? true) &&
    type(a.logoutTokenType) === type(b.logoutTokenType)
  );
}

import { fileURLToPath } from "node:url";
import * as protoLoader from "@grpc/proto-loader";
import { grpc, grpcServiceClient, type Message, type ServiceClient } from "../../support/grpc-client.js";

/** SessionManagement clients (@grpc/grpc-js over h2c with the test API key), shared by a run's workers. */
export interface GrpcClients {
  forWorker(worker: number): ServiceClient<"QuerySessions" | "RemoveSessions">;
  /** grpc.health.v1 Check on the worker's connection: a call that reaches the server's handlers but no SQL. */
  healthCheck(worker: number): Promise<Message>;
  close(): void;
}

const healthProto = fileURLToPath(new URL("../../../proto/grpc/health/v1/health.proto", import.meta.url));

/**
 * One HTTP/2 connection per 8 workers (each client gets its own subchannel
 * pool, hence its own connection), as a pool of application instances
 * calling one server would have.
 */
export function grpcClients(port: number, concurrency: number): GrpcClients {
  const count = Math.max(1, Math.ceil(concurrency / 8));
  const channelOptions = { "grpc.use_local_subchannel_pool": 1 };
  const clients = Array.from({ length: count }, () =>
    grpcServiceClient(port, "session_management.proto", "SessionManagement", ["QuerySessions", "RemoveSessions"], { channelOptions }),
  );
  const loaded = grpc.loadPackageDefinition(protoLoader.loadSync(healthProto, { keepCase: true, enums: String, defaults: true })) as any;
  const Health = loaded.grpc.health.v1.Health as grpc.ServiceClientConstructor;
  const health = Array.from({ length: count }, () => new Health(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), channelOptions));
  return {
    forWorker: (worker) => clients[worker % count]!,
    healthCheck: (worker) =>
      new Promise<Message>((resolve, reject) => {
        (health[worker % count] as any).check({ service: "" }, (error: grpc.ServiceError | null, response: Message) =>
          error ? reject({ code: error.code, details: error.details }) : resolve(response),
        );
      }),
    close: () => {
      clients.forEach((c) => c.close());
      health.forEach((h) => h.close());
    },
  };
}

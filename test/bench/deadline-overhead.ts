// Prints QuerySessions calls per second over gRPC (SQLite, 8 concurrent
// calls), to compare the server with and without the per-call deadline
// context. Run: node --import tsx test/bench/deadline-overhead.ts
import { testBackends } from "../support/backends.js";
import { sessionManagementClient } from "../support/grpc-client.js";
import { startTestServer } from "../support/server.js";

const [sqlite] = await testBackends();
const server = await startTestServer(sqlite!);
const client = sessionManagementClient(server.port);
const round = async (calls: number) => {
  const started = performance.now();
  let left = calls;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left-- > 0) await client.querySessions({ subject_id: "nobody" });
    }),
  );
  return (calls * 1000) / (performance.now() - started);
};
await round(500);
for (let i = 0; i < 3; i++) console.log(`QuerySessions: ${(await round(3000)).toFixed(0)} calls/s`);
client.close();
await server.stop();

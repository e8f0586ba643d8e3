import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { createAddressPolicy, parseAddressRanges } from "../../src/domain/special-use-address.js";
import { createLogoutPoster, type LogoutPoster } from "../../src/notifier/logout-poster.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";

const loopback = parseAddressRanges("127.0.0.1, ::1");
assert.ok("ranges" in loopback);

describe("createLogoutPoster()", () => {
  let receiver: LogoutReceiver;
  let poster: LogoutPoster;
  let strict: LogoutPoster;
  before(async () => {
    receiver = await startReceiver();
    poster = createLogoutPoster({ policy: createAddressPolicy(loopback.ranges), timeoutMs: 1000, maxSocketsPerDestination: 2 });
    strict = createLogoutPoster({ policy: createAddressPolicy(), timeoutMs: 1000, maxSocketsPerDestination: 2 });
  });
  after(async () => {
    poster.close();
    strict.close();
    await receiver.close();
  });

  it("should POST the token as a form with nothing else, keeping the query string", async () => {
    const result = await poster.post(receiver.url("/plain?a=1&b=%2F"), "header.payload.signature");
    assert.deepEqual(result, { statusCode: 200, body: "" });
    const [request] = receiver.to("/plain");
    assert.equal(request!.url, "/plain?a=1&b=%2F");
    assert.equal(request!.body, "logout_token=header.payload.signature");
    assert.equal(request!.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(request!.headers["content-length"], String(request!.body.length));
    for (const header of ["cookie", "authorization", "proxy-authorization"]) assert.equal(request!.headers[header], undefined, header);
  });

  it("should return redirects as they are, without following them", async () => {
    receiver.on("/moved", () => ({ status: 302, headers: { location: receiver.url("/elsewhere") } }));
    const result = await poster.post(receiver.url("/moved"), "t");
    assert.ok("statusCode" in result && result.statusCode === 302);
    assert.equal(receiver.to("/elsewhere").length, 0);
  });

  it("should read at most a few KB of the answer", async () => {
    receiver.on("/chatty", () => ({ status: 500, body: "x".repeat(1024 * 1024) }));
    const result = await poster.post(receiver.url("/chatty"), "t");
    assert.ok("statusCode" in result);
    assert.equal(result.statusCode, 500);
    assert.ok(result.body.length <= 4096, `read ${result.body.length} characters`);
  });

  it("should pass Retry-After on", async () => {
    receiver.on("/busy", () => ({ status: 429, headers: { "retry-after": "30" } }));
    assert.deepEqual(await poster.post(receiver.url("/busy"), "t"), { statusCode: 429, retryAfter: "30", body: "" });
  });

  it("should give up on a relying party that does not answer within the timeout, as a failure worth retrying", async () => {
    receiver.on("/hang", () => "hang");
    assert.deepEqual(await poster.post(receiver.url("/hang"), "t"), { error: "no answer within 1000 ms", final: false });
  });

  it("should report a refused connection as a failure worth retrying", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await poster.post(`http://127.0.0.1:${port}/logout`, "t");
    assert.ok("error" in result);
    assert.match(result.error, /^ECONNREFUSED: /);
    assert.equal(result.final, false);
  });

  it("should refuse special-use addresses unless allowed, by literal and by name, before sending anything", async () => {
    const before = receiver.received.length;
    assert.deepEqual(await strict.post(receiver.url("/never"), "t"), { error: "refused to connect to 127.0.0.1: loopback address", final: true });
    assert.deepEqual(await strict.post(`http://[::1]:${receiver.port}/never`, "t"), { error: "refused to connect to ::1: loopback address", final: true });
    const byName = await strict.post(`http://localhost:${receiver.port}/never`, "t");
    assert.ok("error" in byName);
    assert.match(byName.error, /^refused to connect to localhost \((127\.0\.0\.1|::1)\): loopback address$/);
    assert.equal(byName.final, true);
    assert.deepEqual(await strict.post("http://169.254.169.254/latest/meta-data/", "t"), {
      error: "refused to connect to 169.254.169.254: link-local (cloud metadata) address",
      final: true,
    });
    assert.equal(receiver.received.length, before);
    const allowed = await poster.post(`http://localhost:${receiver.port}/named`, "t");
    assert.ok("statusCode" in allowed && allowed.statusCode === 200);
  });

  it("should refuse URLs it must not use, as final", async () => {
    for (const [url, error] of [
      ["not a url", "the back-channel logout URI is not a valid URL"],
      ["ftp://rp.example/logout", "the back-channel logout URI has the unsupported scheme ftp:"],
      ["https://user:secret@rp.example/logout", "the back-channel logout URI carries credentials"],
    ]) {
      assert.deepEqual(await poster.post(url!, "t"), { error, final: true }, url);
    }
  });

  it("should abandon a request when told to, rejecting with the reason", async () => {
    receiver.on("/slow", () => "hang");
    const abort = new AbortController();
    const pending = poster.post(receiver.url("/slow"), "t", abort.signal);
    await receiver.waitFor(1, (r) => r.path === "/slow");
    abort.abort(new Error("stopping"));
    await assert.rejects(pending, /stopping/);
  });

  it("should give up on a host name that never resolves: at the timeout (to retry), or at once when told to abandon it", async () => {
    const lookups: string[] = [];
    const hanging = createLogoutPoster({
      policy: createAddressPolicy(),
      timeoutMs: 300,
      maxSocketsPerDestination: 2,
      // As with an unreachable DNS server: no answer, ever.
      resolve: (hostname) => void lookups.push(hostname),
    });
    try {
      assert.deepEqual(await hanging.post("https://rp.hanging.example/logout", "t"), { error: "no answer within 300 ms", final: false });
      const abort = new AbortController();
      const pending = hanging.post("https://rp2.hanging.example/logout", "t", abort.signal);
      abort.abort(new Error("stopping"));
      await assert.rejects(pending, /stopping/);
      assert.deepEqual(lookups, ["rp.hanging.example", "rp2.hanging.example"]);
    } finally {
      hanging.close();
    }
  });
});

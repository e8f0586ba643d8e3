import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LogoutPoster } from "../../src/notifier/logout-poster.js";
import { withLogoutUriCheck } from "../../src/notifier/logout-uri-check.js";

/** A poster that records what it was asked to send and answers 200. */
function recordingPoster() {
  const sent: string[] = [];
  const poster: LogoutPoster = {
    post: async (url) => {
      sent.push(url);
      return { statusCode: 200, body: "" };
    },
    close: () => undefined,
  };
  return { sent, poster };
}

describe("withLogoutUriCheck()", () => {
  it("should refuse plain http as final once the deployment does not allow it, sending nothing", async () => {
    const { sent, poster } = recordingPoster();
    const checked = withLogoutUriCheck(poster, { allowHttp: false });
    assert.deepEqual(await checked.post("http://rp.internal/logout", "t"), {
      error: "the back-channel logout URI is refused: backchannel_logout_uri: must use https (plain http needs --allow-http-logout-uris)",
      final: true,
    });
    assert.deepEqual(sent, []);
  });

  it("should refuse URIs stored under laxer rules (user information, fragments, spaces)", async () => {
    const { sent, poster } = recordingPoster();
    const checked = withLogoutUriCheck(poster, { allowHttp: true });
    for (const [uri, problem] of [
      ["https://user@rp.example/logout", "must not contain user information"],
      ["https://rp.example/logout#x", "must not have a fragment"],
      ["https://rp.example/log out", "must not contain spaces, control characters or backslashes"],
    ]) {
      assert.deepEqual(await checked.post(uri!, "t"), { error: `the back-channel logout URI is refused: backchannel_logout_uri: ${problem}`, final: true }, uri);
    }
    assert.deepEqual(sent, []);
  });

  it("should pass URIs the rules accept on, unchanged", async () => {
    const { sent, poster } = recordingPoster();
    assert.deepEqual(await withLogoutUriCheck(poster, { allowHttp: false }).post("https://rp.example/logout?a=%20", "t"), { statusCode: 200, body: "" });
    assert.deepEqual(await withLogoutUriCheck(poster, { allowHttp: true }).post("http://rp.internal/logout", "t"), { statusCode: 200, body: "" });
    assert.deepEqual(sent, ["https://rp.example/logout?a=%20", "http://rp.internal/logout"]);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { armExitDeadline } from "../../src/cli/exit-deadline.js";

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("armExitDeadline()", () => {
  it("should end a stop that overruns with exit code 1, logging what was unfinished and what keeps the process alive", async () => {
    const { logger, lines } = recordingLogger();
    const codes: number[] = [];
    armExitDeadline(50, () => ({ unfinished: { notifier: { attempts: 3 } } }), logger, (code) => codes.push(code));
    await sleep(300);
    assert.deepEqual(codes, [1]);
    assert.deepEqual(lines[0]!.unfinished, { notifier: { attempts: 3 } });
    assert.ok(Array.isArray(lines[0]!.resources));
    assert.match(String(lines[0]!.msg), /not stopped 50 ms after the stop began/);
  });

  it("should end a complete stop with exit code 0 when something still keeps the process alive a moment later", async () => {
    const { logger, lines } = recordingLogger();
    const codes: number[] = [];
    const deadline = armExitDeadline(60_000, () => ({}), logger, (code) => codes.push(code));
    deadline.stopped();
    await sleep(1500);
    assert.deepEqual(codes, [0]);
    assert.match(String(lines[0]!.msg), /stopped; ending the process although work is still pending/);
  });

  it("should not keep the process alive by itself", () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    armExitDeadline(60_000, () => ({}), pino({ level: "silent" }), () => undefined);
    // Unreferenced timers are not listed as keeping the event loop alive.
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length, before);
  });
});

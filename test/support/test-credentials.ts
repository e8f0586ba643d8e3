import { createHash } from "node:crypto";
import type { Interceptor } from "@connectrpc/connect";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { permissions, type Permission } from "../../src/service/auth/permissions.js";

/** The API key test clients send by default: it holds every permission. */
export const testApiKey = "smk_test-key-with-every-permission-0000000000000";

/** Keys with a single permission each, named by it, for authorization tests. */
export const permissionKeys: Readonly<Record<Permission, string>> = Object.fromEntries(
  permissions.map((permission) => [permission, `smk_test-key-for-${permission}`]),
) as Record<Permission, string>;

let file: string | undefined;

/** An API keys file (written once per test process) holding the test keys. */
export function testApiKeysFile(): string {
  if (file !== undefined) return file;
  const keys = [
    { id: "test-admin", sha256: sha256Hex(testApiKey), permissions: [...permissions] },
    ...permissions.map((permission) => ({ id: `test-${permission}`, sha256: sha256Hex(permissionKeys[permission]), permissions: [permission] })),
  ];
  file = join(mkdtempSync(join(tmpdir(), "sm-keys-")), "api-keys.json");
  writeFileSync(file, JSON.stringify({ keys }, null, 2));
  return file;
}

function sha256Hex(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A Connect client interceptor that sends `bearer` (the all-permissions test key by default). */
export function bearerInterceptor(bearer: string = testApiKey): Interceptor {
  return (next) => (request) => {
    request.header.set("authorization", `Bearer ${bearer}`);
    return next(request);
  };
}

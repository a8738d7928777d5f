/**
 * A copy of the repository without a founder's stack files (only what the program, its tools and
 * its tests need; node_modules linked), for tests that run a command as README writes it, whose
 * answer depends on which stack files sit at the root.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** What the copy needs to run the program, its tools and its tests; node_modules is linked. */
const COPIED = ["index.ts", "Pulumi.yaml", "package.json", "tsconfig.json", "components", "lib", "tools", "examples", "policies", "test"];

export function copyOfRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-founder-"));
  for (const entry of COPIED) {
    // Timestamps kept, so the policy pack's build (policies/bin) stays as fresh as the source it was built from.
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), {
      recursive: true,
      preserveTimestamps: true,
      filter: (src) => path.basename(src) !== "node_modules",
    });
  }
  for (const modules of ["node_modules", path.join("policies", "node_modules")]) {
    if (fs.existsSync(path.join(ROOT, modules))) fs.symlinkSync(fs.realpathSync(path.join(ROOT, modules)), path.join(dir, modules), "dir");
  }
  return dir;
}

/**
 * npm run config-reference: writes docs/config-reference.md from the program's config schemas
 * (lib/config/reference.ts); test/lib/config-reference.test.ts fails when the file and the
 * schemas differ, so the reference cannot drift.
 */
import * as fs from "fs";
import * as path from "path";
import { configReferenceMarkdown } from "../../lib/config/reference";
import { projectName } from "../offline/stack-config";
import { REPO } from "../repo";

export const CONFIG_REFERENCE = path.join(REPO, "docs", "config-reference.md");

/** The reference as committed: keys shown under this project's own namespace. */
export const configReferenceText = (): string => `${configReferenceMarkdown(projectName())}\n`;

export function main(argv: readonly string[], io: { out: NodeJS.WritableStream } = { out: process.stdout }): number {
  if (argv.length) {
    io.out.write("Usage: npm run config-reference (writes docs/config-reference.md from lib/config/schema.ts)\n");
    return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
  }
  fs.writeFileSync(CONFIG_REFERENCE, configReferenceText());
  io.out.write(`wrote ${path.relative(process.cwd(), CONFIG_REFERENCE)} from lib/config/schema.ts\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

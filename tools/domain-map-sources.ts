/**
 * Where `verify` and `handover` read a domain map from: a JSON file (a DomainMap, or
 * `pulumi stack output --json` holding one under `domainMap`), or a stack's offline
 * plan. Each tool then checks the map its own way.
 */
import * as fs from "fs";
import type { DomainMap } from "../lib/domain-map";

/** Reads and parses a JSON file; the error names the file and what went wrong. */
export function readJsonFile(file: string, flag: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${flag} ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${flag} ${file}: cannot read it as JSON (${(err as Error).message})`, { cause: err });
  }
}

/**
 * The domain map of a stack's offline plan: Pulumi.<stack>.yaml at the repository root, or in
 * `dir` (tools/offline/stack-files.ts). The plan (and with it the Pulumi SDK) is loaded only
 * when asked for, so the file-based sources stay quick.
 */
export async function offlineDomainMap(stack: string, dir?: string): Promise<DomainMap> {
  const { planStack } = await import("./offline/plan");
  return (await planStack(stack, { dir })).domainMap;
}

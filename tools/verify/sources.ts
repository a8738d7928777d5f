/**
 * Where the domain map comes from: a DomainMap JSON file (--map), the output of
 * `pulumi stack output --json` (--outputs, key "domainMap"), or the offline plan of a
 * stack (--stack): tools/domain-map-sources.ts.
 */
import * as path from "path";
import { DomainMap, DomainMapError, parseDomainMap } from "../../lib/domain-map";
import { offlineDomainMap, readJsonFile } from "../domain-map-sources";

import { UsageError } from "../usage-error";

export { UsageError };

/** The map parsed against the contract (lib/domain-map.ts); a malformed one is bad usage, named with every problem. */
export function normalizeMap(raw: unknown, from: string): DomainMap {
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new UsageError(`${from}: the domain map is a string that is not JSON`);
    }
  }
  try {
    return parseDomainMap(raw, from);
  } catch (err) {
    if (err instanceof DomainMapError) throw new UsageError(err.message);
    throw err;
  }
}

function readJson(file: string, flag: string): unknown {
  try {
    return readJsonFile(file, flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function loadMapFile(file: string): DomainMap {
  return normalizeMap(readJson(file, "--map"), file);
}

export function loadOutputsFile(file: string): DomainMap {
  const outputs = readJson(file, "--outputs") as Record<string, unknown>;
  if (!outputs || typeof outputs !== "object" || !("domainMap" in outputs)) {
    throw new UsageError(`--outputs ${file}: no "domainMap" key; produce the file with \`pulumi stack output --json > ${path.basename(file)}\``);
  }
  return normalizeMap(outputs.domainMap, file);
}

/** The offline plan of a stack (its file at the repository root, or in `dir`). */
export async function loadStackPlan(stack: string, dir?: string): Promise<DomainMap> {
  let map: DomainMap;
  try {
    map = await offlineDomainMap(stack, dir);
  } catch (err) {
    throw new UsageError(`--stack ${stack}: the offline plan failed: ${(err as Error).message}`);
  }
  return normalizeMap(map, `stack ${stack}`);
}

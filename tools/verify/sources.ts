/**
 * Where the domain map comes from: a DomainMap JSON file (--map), the output of
 * `pulumi stack output --json` (--outputs, key "domainMap"), or the offline plan of a
 * stack (--stack): lib/domain-map-sources.ts.
 */
import * as path from "path";
import type { DomainMap } from "../../lib/domain-map";
import { offlineDomainMap, readJsonFile } from "../domain-map-sources";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Checks the fields verify relies on and fills optional lists, so a partial map still verifies. */
export function normalizeMap(raw: unknown, from: string): DomainMap {
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new UsageError(`${from}: the domain map is a string that is not JSON`);
    }
  }
  if (!raw || typeof raw !== "object") throw new UsageError(`${from}: not a domain map (expected a JSON object)`);
  const m = raw as Partial<DomainMap> & Record<string, unknown>;
  const canonicalHost = m.canonicalHost ?? (m.canonicalOrigin ? new URL(m.canonicalOrigin).hostname : undefined);
  if (!canonicalHost) throw new UsageError(`${from}: the domain map has no canonicalHost or canonicalOrigin`);
  const zoneName = m.zone?.name ?? canonicalHost;
  const email: Partial<DomainMap["email"]> = m.email ?? {};
  const edge: Partial<DomainMap["edge"]> = m.edge ?? {};
  return {
    stack: m.stack ?? "unknown",
    environment: m.environment ?? "production",
    zone: { id: "", plan: "free", managesZoneSettings: false, ...m.zone, name: zoneName },
    canonicalOrigin: m.canonicalOrigin ?? `https://${canonicalHost}`,
    canonicalHost,
    hosts: m.hosts ?? [],
    records: m.records ?? [],
    email: {
      senders: email.senders ?? [],
      sendingDomains: email.sendingDomains ?? [],
      nonSendingDomains: email.nonSendingDomains ?? [],
      dmarc: email.dmarc ?? { name: `_dmarc.${zoneName}`, record: "", policy: "", rua: [] },
    },
    edge: {
      hsts: edge.hsts ?? { maxAge: 31536000, includeSubdomains: true, preload: false },
      minTlsVersion: edge.minTlsVersion ?? "1.2",
      rateLimits: edge.rateLimits ?? [],
      cachedPaths: edge.cachedPaths ?? [],
      bypassPaths: edge.bypassPaths ?? [],
      notes: edge.notes ?? [],
    },
    hosting: m.hosting ?? { provider: "vercel", projectId: "", env: { production: [], preview: [], development: [] } },
    monitors: m.monitors ?? [],
    alerts: m.alerts ?? { emails: [], slack: false, webhooks: 0 },
    apiCorsOrigins: m.apiCorsOrigins ?? [],
  };
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

/** The offline plan of a stack. */
export async function loadStackPlan(stack: string): Promise<DomainMap> {
  let map: DomainMap;
  try {
    map = await offlineDomainMap(stack);
  } catch (err) {
    throw new UsageError(`--stack ${stack}: the offline plan failed: ${(err as Error).message}`);
  }
  return normalizeMap(map, `stack ${stack}`);
}

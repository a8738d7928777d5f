/** Shared fixture loading for the handover tests. */
import * as fs from "fs";
import type { DomainMap } from "../../lib/domain-map";
import { DOMAIN_MAP_FIXTURE } from "../../tools/cli/fixtures";

/** The example's prod domain map (npm run fixtures writes it from the plan of examples/acmechat/Pulumi.prod.yaml). */
export const MAP_FILE = DOMAIN_MAP_FIXTURE;

/** A fresh copy each call, so tests can change it freely. */
export function fixtureMap(): DomainMap {
  return JSON.parse(fs.readFileSync(MAP_FILE, "utf8")) as DomainMap;
}

/** The fixture as outputs from a deploy before the domain map named config keys: no `configKey` anywhere. */
export function fixtureMapWithoutConfigKeys(): DomainMap {
  const map = fixtureMap();
  for (const entries of Object.values(map.hosting.env)) for (const entry of entries) delete entry.configKey;
  return map;
}

/** The text of one `## ` section, up to the next `## ` heading. */
export function section(doc: string, title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section "## ${title}" in the document`);
  const next = doc.indexOf("\n## ", start + 4);
  return doc.slice(start, next < 0 ? undefined : next);
}

/** The text of one `### ` part, up to the next heading of level 2 or 3. */
export function part(doc: string, title: string): string {
  const start = doc.indexOf(`\n### ${title}\n`);
  if (start < 0) throw new Error(`no part "### ${title}" in the document`);
  const next = doc.slice(start + 5).search(/\n##/);
  return doc.slice(start, next < 0 ? undefined : start + 5 + next);
}

/** The table row (a line starting with `|`) whose first cell contains `first`. */
export function row(text: string, first: string): string[] {
  const line = text.split("\n").find((l) => l.startsWith("| ") && splitRow(l)[0].includes(first));
  if (!line) throw new Error(`no table row starting with ${first}`);
  return splitRow(line);
}

/** Splits a Markdown table row on unescaped pipes. */
export function splitRow(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** Every value under a `secure:` key in a YAML document (the ciphertexts). */
export function secureValues(yamlText: string): string[] {
  return [...yamlText.matchAll(/secure:\s*(\S+)/g)].map((m) => m[1]);
}

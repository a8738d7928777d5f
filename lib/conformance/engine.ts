/**
 * What the Pulumi engine and the providers' APIs refuse across resources: duplicate
 * URNs, a second entrypoint ruleset for a phase, two resources for one zone setting,
 * two Vercel variables for one (project, key, target).
 */
import { engineFacts, factsFor } from "../provider-facts";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";
import { revealSecret as plain } from "../planned/secrets";
import type { ConformanceFinding, Resource } from "./types";
import { printable, UNKNOWN } from "./values-path";

const known = (...vs: unknown[]) => vs.every((v) => v !== undefined && v !== UNKNOWN);

export function checkEngine(resources: readonly Resource[]): ConformanceFinding[] {
  const findings: ConformanceFinding[] = [];
  const firstBy = new Map<string, Resource>();
  const claim = (key: string, r: Resource, fact: { rule: string; source: string }, property: string, given: string) => {
    const first = firstBy.get(key);
    if (!first) {
      firstBy.set(key, r);
      return;
    }
    findings.push({
      check: "engine",
      urn: r.urn,
      type: r.type,
      name: r.name,
      property,
      given,
      allowed: "one resource",
      source: fact.source,
      message: `${fact.rule} "${first.name}" (${first.urn}) already declares it`,
    });
  };
  for (const r of resources) {
    claim(`urn ${r.urn}`, r, engineFacts.facts.duplicateUrn, "urn", r.urn);
    if (!r.custom) continue;
    const mustIgnore = r.opts.importId ? factsFor(r.type)?.importMustIgnore : undefined;
    for (const prop of mustIgnore?.props.filter((x) => !r.opts.ignoreChanges.includes(x)) ?? []) {
      findings.push({
        check: "engine",
        urn: r.urn,
        type: r.type,
        name: r.name,
        property: prop,
        given: printable(plain(r.props[prop]), false),
        allowed: `ignoreChanges: ["${prop}"] on an adopted resource`,
        source: `${mustIgnore!.source}; ${engineFacts.facts.importedReplace.source}`,
        message: `is adopted (import ${r.opts.importId}) and declares ${prop}, which forces a replacement when it differs from the live one: ${engineFacts.facts.importedReplace.rule} Keep the live value with ignoreChanges`,
      });
    }
    findings.push(...checkDrift(r));
    const p = r.props;
    if (r.type === RESOURCE_TYPES.ruleset && String(plain(p.kind)).toLowerCase() === "zone" && known(plain(p.zoneId), plain(p.phase))) {
      claim(
        `entrypoint ${plain(p.zoneId)} ${String(plain(p.phase)).toLowerCase()}`,
        r,
        engineFacts.cloudflare.oneEntrypointPerPhase,
        "phase",
        JSON.stringify(plain(p.phase)),
      );
    }
    if (r.type === RESOURCE_TYPES.zoneSetting && known(plain(p.zoneId), plain(p.settingId))) {
      claim(`setting ${plain(p.zoneId)} ${plain(p.settingId)}`, r, engineFacts.cloudflare.oneZoneSettingPerId, "settingId", JSON.stringify(plain(p.settingId)));
    }
    if (r.type === RESOURCE_TYPES.vercelEnv && known(plain(p.projectId), plain(p.key))) {
      const targets: unknown[] = (plain(p.targets) ?? []).map(plain);
      for (const target of targets) {
        claim(
          `env ${plain(p.projectId)} ${plain(p.teamId) ?? ""} ${plain(p.key)} ${target}`,
          r,
          engineFacts.vercel.oneEnvPerKeyAndTarget,
          "key",
          `${JSON.stringify(plain(p.key))} for ${target}`,
        );
      }
    }
  }
  return findings;
}

/** Properties that change on their own after an apply: a default sent when left out, a declared value the live one lags behind. */
function checkDrift(r: Resource): ConformanceFinding[] {
  const facts = factsFor(r.type);
  const base = { check: "engine" as const, urn: r.urn, type: r.type, name: r.name };
  const findings: ConformanceFinding[] = [];
  for (const prop of facts?.applyDefaults?.props.filter((x) => r.props[x] === undefined) ?? []) {
    findings.push({
      ...base,
      property: prop,
      allowed: `${prop} declared explicitly`,
      source: facts!.applyDefaults!.source,
      message: "is left out, so the provider sends its schema default on every apply and overwrites what the dashboard set: declare it",
    });
  }
  for (const prop of facts?.refreshDrift?.props.filter((x) => r.props[x] !== undefined && !r.opts.ignoreChanges.includes(x)) ?? []) {
    findings.push({
      ...base,
      property: prop,
      given: printable(plain(r.props[prop]), false),
      allowed: `ignoreChanges: ["${prop}"]`,
      source: facts!.refreshDrift!.source,
      message: "is declared without ignoreChanges, so every refresh shows a change the next apply cannot make",
    });
  }
  return findings;
}

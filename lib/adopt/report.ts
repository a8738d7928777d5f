/**
 * The adoption audit a founder reads before anything changes: what the zone holds today,
 * what the stack adopts, creates and changes, what must be fixed first, and the config to
 * keep what the stack would otherwise leave alone or replace.
 */
import { stringify } from "yaml";
import { unquoteTxt } from "../../policies/shared/spf";
import type { Adoption } from "./match";
import type { LiveRecord } from "./live";

const rel = (name: string, zone: string) => {
  const n = name.toLowerCase().replace(/\.$/, "");
  return n === zone ? "@" : n.endsWith(`.${zone}`) ? n.slice(0, -(zone.length + 1)) : n;
};

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** zone.extraRecords entries for records the stack does not declare (the kinds it can declare). */
export function extraRecordsConfig(untouched: readonly LiveRecord[], zone: string): Array<Record<string, unknown>> {
  return untouched
    .filter((r) => ["A", "AAAA", "CNAME", "TXT", "MX"].includes(r.type.toUpperCase()))
    .map((r) => ({
      name: rel(r.name, zone),
      type: r.type.toUpperCase(),
      content: r.type.toUpperCase() === "TXT" ? unquoteTxt(r.content ?? "") : (r.content ?? ""),
      ...(r.priority !== undefined && r.type.toUpperCase() === "MX" ? { priority: r.priority } : {}),
      ...(r.proxied ? { proxied: true } : {}),
    }));
}

const indent = (text: string, by: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => by + l)
    .join("\n");

export function renderAdoption(a: Adoption, ctx: { zone: string; stack: string }): string {
  const out: string[] = [];
  out.push(`Adoption audit of ${ctx.zone} for stack "${ctx.stack}": what the zone holds today and what pulumi up would do with it.`, "");
  out.push(`Records adopted (imported, never re-created; pulumi destroy leaves them in the zone): ${a.records.length}`);
  for (const r of a.records)
    out.push(`  ${r.fqdn} ${r.type}  [${r.changes.length ? `pulumi up changes: ${r.changes.join("; ")}` : "unchanged"}]  (key "${r.key}", id ${r.id})`);
  out.push("", `Records pulumi up creates: ${a.creates.length}`);
  for (const c of a.creates) out.push(`  ${c.fqdn} ${c.type} ${c.content}`);
  out.push("", `Conflicts to fix before pulumi up: ${a.conflicts.length}`);
  for (const c of a.conflicts) out.push(`  ${c.fqdn} ${c.problem}.`, `    Fix: ${c.fix}.`);
  out.push("", `Records the stack does not declare (left untouched): ${a.untouched.length}`);
  for (const r of a.untouched) out.push(`  ${r.name} ${r.type} ${r.content ?? show(r.data)}`);
  const extras = extraRecordsConfig(a.untouched, ctx.zone);
  if (extras.length) {
    out.push("  To have this stack manage them too, add to the stack file:", indent(stringify({ "launch-ready:zone": { extraRecords: extras } }), "    "));
  }
  out.push("", `Rulesets this stack takes over (one entrypoint per phase): ${a.rulesets.length}`);
  const carry: Record<string, unknown[]> = {};
  for (const r of a.rulesets) {
    const mine = r.existingRules.filter((x) => /\(launch-ready\)|launch-ready/.test(x.description));
    const theirs = r.existingRules.filter((x) => !mine.includes(x));
    out.push(
      `  ${r.phase} (id ${r.id}${r.name ? `, "${r.name}"` : ""}): ${theirs.length ? `${theirs.length} rule(s) made elsewhere are replaced by the stack's on pulumi up` : "no rules made elsewhere"}`,
    );
    for (const x of theirs) out.push(`    - ${x.enabled ? "" : "(disabled) "}${x.action}: ${x.expression}  "${x.description}"`);
    if (theirs.length)
      carry[r.phase] = theirs.map((x) => ({
        description: x.description,
        expression: x.expression,
        action: x.action,
        ...(x.actionParameters ? { actionParameters: x.actionParameters } : {}),
        ...(x.enabled ? {} : { enabled: false }),
      }));
  }
  if (Object.keys(carry).length) {
    out.push(
      "  To keep them, carry them over as extra rules (after the stack's own):",
      indent(stringify({ "launch-ready:edge": { extraRules: carry } }), "    "),
    );
  }
  out.push("", `Zone settings that differ from the bar (pulumi up sets the bar's value): ${a.settings.length}`);
  for (const s of a.settings) out.push(`  ${s.id}: ${show(s.live)} -> ${show(s.planned)}`);
  return out.join("\n") + "\n";
}

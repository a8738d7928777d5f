/**
 * The adoption audit a founder reads before anything changes: what the zone holds today,
 * what the stack adopts, creates and changes, what must be fixed first, and the config to
 * keep what the stack would otherwise leave alone or replace.
 */
import { stringify } from "yaml";
import { unquoteTxt } from "../../policies/shared/dns-text";
import type { Adoption } from "./match";
import type { LiveRecord } from "./live";
import { rulesetChanges, type RecordInputs } from "./phases";
import type { RuleSpec } from "../edge/rules";
import { configKey } from "../config/project";

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

/** A record as phase one declares it, in one line: type, content, ttl, proxying, comment, tags. */
export function recordInputsText(i: RecordInputs): string {
  const content = i.data ? `${i.data.flags} ${i.data.tag} "${i.data.value}"` : (i.content ?? "");
  return [
    `${i.type} ${content}${i.priority !== undefined ? ` (priority ${i.priority})` : ""}`,
    `ttl ${i.ttl === 1 ? "auto" : `${i.ttl}s`}`,
    i.proxied ? "proxied" : "DNS only",
    i.comment ? `comment ${JSON.stringify(i.comment)}` : "no comment",
    ...(i.tags?.length ? [`tags ${i.tags.join(", ")}`] : []),
  ].join(", ");
}

/** The carried-over rules of one phase as edge.extraRules entries; a skip rule among them puts the block first, where it still skips what followed it. */
function carriedRules(rules: Adoption["rulesets"][number]["existingRules"]): { entries: Array<Record<string, unknown>>; first: boolean } {
  const first = rules.some((x) => x.action === "skip");
  return {
    first,
    entries: rules.map((x) => ({
      description: x.description,
      expression: x.expression,
      action: x.action,
      ...(x.actionParameters ? { actionParameters: x.actionParameters } : {}),
      ...(x.enabled ? {} : { enabled: false }),
      ...(first ? { position: "first" } : {}),
    })),
  };
}

/** `ctx.project`: the config namespace (Pulumi.yaml `name`) the stack file snippets use. */
export function renderAdoption(
  a: Adoption,
  ctx: { project: string; zone: string; stack: string; rulesets?: Partial<Record<string, readonly RuleSpec[]>> },
): string {
  const out: string[] = [];
  out.push(`Adoption audit of ${ctx.zone} for stack "${ctx.stack}": what the zone holds today and what pulumi up would do with it.`);
  out.push(
    "Adoption runs in two phases. Phase one: the stack declares each adopted record and ruleset exactly as the zone holds it, so `pulumi up` imports them without changing them (what the stack creates or sets, such as new records and zone settings, it does in that run).",
    `Phase two: \`npm run adopt -- --stack ${ctx.stack} --finish\` drops those live values; the next \`pulumi up\` updates each one in place to the bar (listed below as "phase two changes").`,
    "",
  );
  out.push(`Records adopted (imported, never re-created; pulumi destroy leaves them in the zone): ${a.records.length}`);
  for (const r of a.records) {
    out.push(`  ${r.fqdn} ${r.type}  [${r.changes.length ? `phase two changes: ${r.changes.join("; ")}` : "unchanged"}]  (key "${r.key}", id ${r.id})`);
    out.push(`    phase one imports: ${recordInputsText(r.live)}`);
  }
  out.push("", `Records pulumi up creates: ${a.creates.length}`);
  for (const c of a.creates) out.push(`  ${c.fqdn} ${c.type} ${c.content}`);
  out.push("", `Conflicts to fix before pulumi up: ${a.conflicts.length}`);
  for (const c of a.conflicts) out.push(`  ${c.fqdn} ${c.problem}.`, `    Fix: ${c.fix}.`);
  out.push("", `Records the stack does not declare (left untouched): ${a.untouched.length}`);
  for (const r of a.untouched) out.push(`  ${r.name} ${r.type} ${r.content ?? show(r.data)}`);
  const extras = extraRecordsConfig(a.untouched, ctx.zone);
  if (extras.length) {
    out.push(
      "  To have this stack manage them too, add to the stack file:",
      indent(stringify({ [configKey(ctx.project, "zone")]: { extraRecords: extras } }), "    "),
    );
  }
  out.push("", `Rulesets this stack takes over (one entrypoint per phase): ${a.rulesets.length}`);
  const carry: Record<string, unknown[]> = {};
  const skipPhases: string[] = [];
  for (const r of a.rulesets) {
    const mine = r.existingRules.filter((x) => /\(launch-ready\)|launch-ready/.test(x.description));
    const theirs = r.existingRules.filter((x) => !mine.includes(x));
    out.push(
      `  ${r.phase} (id ${r.id}${r.name ? `, "${r.name}"` : ""}): phase one imports its ${r.live.rules.length} rule(s) as they are; ${theirs.length ? `phase two replaces the ${theirs.length} rule(s) made elsewhere with the stack's` : "no rules made elsewhere"}`,
    );
    for (const x of theirs) out.push(`    - ${x.enabled ? "" : "(disabled) "}${x.action}: ${x.expression}  "${x.description}"`);
    const planned = ctx.rulesets?.[r.phase];
    if (planned) out.push(`    phase two changes: ${rulesetChanges(r.live, planned).join("; ") || "nothing"}`);
    if (theirs.length) {
      const { entries, first } = carriedRules(theirs);
      carry[r.phase] = entries;
      if (first) skipPhases.push(r.phase);
    }
  }
  if (Object.keys(carry).length) {
    out.push(
      "  To keep them, carry them over as extra rules (after the stack's own, or before them with position: first):",
      indent(stringify({ [configKey(ctx.project, "edge")]: { extraRules: carry } }), "    "),
    );
    for (const phase of skipPhases)
      out.push(
        `  ${phase}: a skip rule skips only the rules after it, so these go first (position: first), in their order: for the requests they match they now skip the stack's own rules of this phase too; narrow their expressions if that is not meant.`,
      );
  }
  out.push("", `Zone settings that differ from the bar (pulumi up sets the bar's value): ${a.settings.length}`);
  for (const s of a.settings) out.push(`  ${s.id}: ${show(s.live)} -> ${show(s.planned)}`);
  return out.join("\n") + "\n";
}

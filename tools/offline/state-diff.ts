/**
 * `npm run plan -- --state FILE`: the offline plan diffed against the deployed state, the JSON
 * `pulumi stack export` writes (needs only the backend, no provider credential). Reads and
 * validates the file (lib/state/export.ts: secrets are redacted as it is read), diffs
 * (lib/state/diff.ts), guards (lib/state/guard.ts) and renders the result for people and for --json.
 */
import * as fs from "fs";
import { readStackExport, StackExportError, type StateResource } from "../../lib/state/export";
import { countChanges, diffState, type StateChange } from "../../lib/state/diff";
import { formatFinding, guardFindings, type GuardFinding } from "../../lib/state/guard";
import type { OfflinePlan } from "./plan";

export { StackExportError };

export interface StateDiff {
  file: string;
  deployed: number;
  changes: StateChange[];
  findings: GuardFinding[];
  /** --allow-delete names that matched no guarded change (a typo allows nothing). */
  unusedAllows: string[];
}

/** Reads FILE; a file that is not an export is refused with what is wrong, never with its content. */
export function readStateFile(file: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new StackExportError(`--state ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the error: it may hold a secret of a --show-secrets export.
    throw new StackExportError(`--state ${file}: not JSON (write it with pulumi stack export --stack <stack> > ${file})`);
  }
  return readStackExport(json, `--state ${file}`);
}

/** `deployed`: readStateFile(file). */
export function stateDiffOf(plan: OfflinePlan, file: string, deployed: readonly StateResource[], allowDelete: readonly string[] = []): StateDiff {
  const changes = diffState(deployed, plan.resources);
  // A program without the site's domain map (--program) is judged as production: the stricter guard.
  const production = plan.domainMap?.environment !== "staging";
  const all = guardFindings(changes, { production });
  const findings = guardFindings(changes, { production, allowed: allowDelete });
  const guarded = new Set(all.flatMap((f) => [f.key, f.urn]));
  return { file, deployed: deployed.length, changes, findings, unusedAllows: allowDelete.filter((a) => !guarded.has(a)) };
}

const SYMBOL: Record<StateChange["kind"], string> = { create: "+", import: "=", update: "~", replace: "+-", delete: "-", unchanged: " " };

function describe(c: StateChange): string {
  const moved = c.movedFrom ? ` (moved from ${c.movedFrom.split("::").pop()} by its alias)` : "";
  const options = (c.options ?? []).map((o) => `${o.option} ${o.from} -> ${o.to}`).join(", ");
  const tail = [
    c.kind === "update" ? `changes ${c.properties!.join(", ")}` : "",
    c.kind === "replace"
      ? `${c.properties!.join(", ")} forces a replacement` +
        (c.dnsGap
          ? ", deleted before the new record exists: a gap in DNS answers for that name"
          : c.deleteBeforeReplace
            ? ", deleted before the new one exists"
            : ", the new one created before the old is deleted")
      : "",
    c.kind === "delete" && c.retained ? "retainOnDelete: left in place, only dropped from the state" : "",
    options ? `${options} (option only: nothing changes at the provider)` : "",
    c.notCompared?.length ? `not compared offline: ${c.notCompared.join(", ")} (secret or known after pulumi up)` : "",
  ].filter(Boolean);
  return `  ${SYMBOL[c.kind].padEnd(2)} ${c.kind.padEnd(9)} ${c.name}${moved}${tail.length ? `: ${tail.join("; ")}` : ""}${c.protected ? " [protected]" : ""}`;
}

/** The state diff as the first lines of the plan: counts, each change (unchanged ones only when an option or a move is news), the guard. */
export function renderStateDiff(diff: StateDiff): string {
  const counts = countChanges(diff.changes);
  const out = [
    `State diff against ${diff.file} (${diff.deployed} resources deployed): ` +
      `${counts.create} to create, ${counts.import} to import, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete, ${counts.unchanged} unchanged.`,
  ];
  const listed = diff.changes.filter((c) => c.kind !== "unchanged" || c.options?.length || c.movedFrom);
  out.push(...listed.map(describe));
  if (diff.findings.length) {
    out.push("", `Guard: ${diff.findings.length} delete(s) or replace(s) of what the product depends on; the plan exits 1:`);
    for (const f of diff.findings) out.push(...formatFinding(f));
  } else {
    out.push("Guard: nothing the product depends on is deleted or replaced.");
  }
  for (const a of diff.unusedAllows) out.push(`note: --allow-delete ${a} matches no guarded delete or replace (names are the resource names above)`);
  out.push("");
  return out.join("\n");
}

/** The state diff for --json: every change (without the deployed inputs) and the guard's verdict. */
export function stateDiffJson(diff: StateDiff) {
  return {
    file: diff.file,
    deployed: diff.deployed,
    counts: countChanges(diff.changes),
    changes: diff.changes.map(({ deployedInputs: _inputs, ...c }) => c),
    guard: { passed: diff.findings.length === 0, findings: diff.findings, unusedAllows: diff.unusedAllows },
  };
}

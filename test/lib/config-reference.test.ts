import { strict as assert } from "assert";
import * as fs from "fs";
import { CONFIG_REFERENCE, configReferenceText } from "../../tools/cli/config-reference";
import * as path from "path";
import { configReferenceRows } from "../../lib/config/reference";

/**
 * Every default README states for a config key ("`key` (default `value`)", "`key` defaults to value"),
 * with the key it names: the nearest backticked key before it on its line, resolved to a schema
 * path under the line's top-level key. A stated default with no condition is the schema's.
 */
function readmeDefaults(): Array<{ line: string; key: string; path?: string; value: string; conditional: boolean }> {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const rows = configReferenceRows();
  const out: Array<{ line: string; key: string; path?: string; value: string; conditional: boolean }> = [];
  for (const line of readme.split("\n")) {
    if (!/^(\| `|- )/.test(line)) continue;
    const top = /^(?:\| `|- `)([a-z]+)`/.exec(line)?.[1] ?? "";
    for (const m of line.matchAll(/\bdefaults? (?:to )?(?:`([^`]+)`|(\d+(?:\.\d+)?)\b|([a-z]+)\)|([a-z]+)$)(?<after>[^;,)|]*)/g)) {
      const value = m[1] ?? m[2] ?? m[3] ?? m[4];
      const before = line.slice(0, m.index);
      const keys = [...before.matchAll(/`([A-Za-z]+)`/g)].map((k) => k[1]);
      const key = keys[keys.length - 1];
      const candidates = rows.filter((r) => r.path === key || r.path.endsWith(`.${key}`) || r.path.endsWith(`[].${key}`));
      const under = top ? candidates.filter((r) => r.path.startsWith(`${top}.`) || r.path.startsWith(`${top}[]`)) : [];
      const chosen = (under.length ? under : candidates).filter((r) => r.default !== undefined);
      out.push({
        line,
        key,
        path: chosen.length === 1 ? chosen[0].path : undefined,
        value,
        conditional: /\b(where|in production|unset|except)\b/.test(m.groups!.after),
      });
    }
  }
  return out;
}

describe("the stack config reference (docs/config-reference.md)", () => {
  it("is what the schemas say today (npm run config-reference rewrites it)", () => {
    assert.equal(
      fs.readFileSync(CONFIG_REFERENCE, "utf8"),
      configReferenceText(),
      "the reference drifted from lib/config/schema.ts: run npm run config-reference",
    );
  });

  it("covers the nested keys founders write, with their shape and defaults", () => {
    const rows = new Map(configReferenceRows().map((r) => [r.path, r]));
    // Written from the schema's rules as a founder reads them, not from the generator's output.
    assert.deepEqual(rows.get("email.senders[].dkim[].type"), { path: "email.senders[].dkim[].type", shape: "one of `CNAME`, `TXT`", required: true });
    assert.deepEqual(rows.get("email.mx[].priority"), { path: "email.mx[].priority", shape: "integer (>= 0, <= 65535)", required: true });
    assert.deepEqual(rows.get("edge.rateLimits[].action"), {
      path: "edge.rateLimits[].action",
      shape: "one of `block`, `managed_challenge`",
      default: "`block`",
      required: false,
    });
    for (const path of ["email.senders[].records[].content", "uptime.endpoints[].path", "zone.plan", "alerts.slack", "subdomains[].target"])
      assert.ok(rows.has(path), path);
  });

  it("README's stated defaults are the schema's (no second copy to drift)", () => {
    const stated = readmeDefaults();
    assert.ok(stated.length >= 12, `README states ${stated.length} defaults`);
    const defaults = new Map(configReferenceRows().map((r) => [r.path, r.default]));
    for (const d of stated) {
      if (d.conditional && !d.path) continue; // "defaults to true in production": computed, not a literal in the schema
      assert.ok(d.path, `README: "${d.key}" defaults to ${d.value}, but no key of that name has a default in the schema`);
      assert.equal(defaults.get(d.path), `\`${d.value}\``, `README says ${d.path} defaults to ${d.value}`);
    }
  });
});

import { strict as assert } from "assert";
import * as fs from "fs";
import { CONFIG_REFERENCE, configReferenceText } from "../../tools/cli/config-reference";
import { configReferenceRows } from "../../lib/config/reference";

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
});

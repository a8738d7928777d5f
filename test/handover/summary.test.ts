/**
 * Issue 27, item 6: the handover a founder reads to the end. The example's prod handover is
 * held to half its length before the issue, with the go/no-go verdict and the manual steps
 * first and the reference (the full record table, the cost) in the appendix.
 */
import * as assert from "assert";
import { Writable } from "stream";
import { main } from "../../tools/cli/handover";
import { EXAMPLE_DIR } from "../../tools/offline/stack-files";
import { renderHandover, verdictOf } from "../../lib/handover";
import { buildReport } from "../../lib/report";
import { fixtureMap, section } from "./helpers";
import { HANDOVER } from "../helpers/stack-config";

/** Prod's handover measured 614 lines (6,337 words) when issue 27 was taken up; the issue asks for at most half. */
const PROD_HANDOVER_LINES_BEFORE = 614;
const PROD_HANDOVER_MAX_LINES = Math.floor(PROD_HANDOVER_LINES_BEFORE / 2);

class Capture extends Writable {
  text = "";
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

describe("handover to the end (issue 27, item 6)", function () {
  this.timeout(120000);
  let doc: string;

  before(async () => {
    const out = new Capture();
    const err = new Capture();
    assert.strictEqual(await main(["--stack", "prod", "--dir", EXAMPLE_DIR], out, err), 0, err.text);
    doc = out.text;
  });

  it(`keeps prod's handover within ${PROD_HANDOVER_MAX_LINES} lines (half of ${PROD_HANDOVER_LINES_BEFORE})`, () => {
    const lines = doc.split("\n").length - 1;
    assert.ok(lines <= PROD_HANDOVER_MAX_LINES, `${lines} lines`);
  });

  it("opens with the plan's verdict, then the steps only a person can do, and ends with the appendix", () => {
    const titles = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepStrictEqual(titles.slice(0, 2), ["Go / no-go", "Before launch: steps only a person can do"]);
    assert.strictEqual(titles.at(-1), "Appendix: DNS records and cost");
    // The example's secrets are not set in its stack file, so pulumi up cannot run: NO-GO, naming each key.
    const verdict = section(doc, "Go / no-go");
    assert.match(verdict, /\*\*NO-GO\*\*: the launch report of stack prod has 1 blocking finding/);
    assert.match(verdict, /11 secret\(s\) not set: .*launch-ready:openaiApiKeyProduction/);
    // Advisory policy violations allow a launch and are listed apart (the example's DMARC is still p=none).
    assert.match(verdict, /To fix soon \(they do not block\):\n- DMARC at _dmarc\.acmechat\.dev is p=none/);
  });

  it("groups rotation: one procedure for every secret instead of one block each", () => {
    assert.strictEqual(doc.match(/pulumi config set --secret/g)?.length, 1);
    assert.strictEqual(doc.match(/^#+ .*Rotating/gm)?.length, 1);
  });
});

describe("the go/no-go verdict: the launch report's, in the handover", () => {
  const NOW = new Date("2026-12-03T12:00:00Z");
  const policy = (level: string, status: string, message = "m") => ({
    policyName: `p-${level}`,
    description: "d",
    enforcementLevel: level,
    status,
    violations: status === "violation" ? [{ message, resourceName: "r" }] : [],
    errors: [],
  });

  it("is GO with no blocker, and says what it came from", () => {
    const v = verdictOf(
      buildReport({ stack: "shop", domain: "shop.test", verdicts: [policy("mandatory", "pass")], now: NOW }),
      "the launch report of stack shop",
    );
    assert.deepStrictEqual(v, { go: true, blocking: [], warnings: [], source: "the launch report of stack shop" });
    const s = section(renderHandover(fixtureMap(), { ...HANDOVER, verdict: v }), "Go / no-go");
    assert.ok(s.includes("**GO**: the launch report of stack shop has no blocking finding."));
  });

  it("is NO-GO on a conformance finding, a mandatory violation, a policy error or an unset secret; advisory ones are trust issues", () => {
    const v = verdictOf(
      buildReport({
        stack: "shop",
        domain: "shop.test",
        conformance: [{ name: "rl", property: "rules[0].ratelimit.period", message: "period 60 is not allowed on Free" }],
        verdicts: [
          policy("mandatory", "violation", "DKIM missing"),
          policy("advisory", "violation", "p=none"),
          { ...policy("mandatory", "violation"), violations: [], errors: ["boom"] },
        ],
        unsetSecrets: ["shop:stripeKey"],
        now: NOW,
      }),
      "report",
    );
    assert.strictEqual(v.go, false);
    assert.deepStrictEqual(v.blocking, [
      "rl: period 60 is not allowed on Free",
      "1 secret(s) not set: shop:stripeKey",
      "DKIM missing",
      "the policy failed to run: boom",
    ]);
    assert.deepStrictEqual(v.warnings, ["p=none"]);
  });

  it("warns when the policy pack did not run, and says a map alone is not judged", () => {
    assert.deepStrictEqual(verdictOf(buildReport({ stack: "shop", domain: "shop.test", policyRan: false, now: NOW }), "report").warnings, [
      "the policy pack did not run, so the minimum bar was not checked",
    ]);
    const s = section(renderHandover(fixtureMap(), HANDOVER), "Go / no-go");
    assert.ok(
      s.includes("Not judged here: this handover was written from a domain map, without the plan. Run `npm run plan -- --stack prod` for the verdict."),
    );
    assert.ok(!s.includes("GO**"));
  });
});

/** verify's one row constructor: the category from the id, and a fix that knows its variant without a stack. */
import { strict as assert } from "assert";
import { categoryOf, forRun, makeRow, viaPulumiUp } from "../../../tools/verify/row";

describe("verify rows", () => {
  it("take their category from the id and refuse an id with no category", () => {
    assert.equal(categoryOf("email.spf.lookups"), "email");
    assert.equal(categoryOf("bundle.secret"), "bundles");
    assert.equal(categoryOf("latency.regression"), "health");
    assert.throws(() => categoryOf("spf.lookups"), /verify row id "spf\.lookups" has no category/);
  });

  it("append the fix to the detail once, and show the stack's step only where there is a stack", () => {
    const r = makeRow({
      id: "email.dkim",
      check: "DKIM key",
      target: "s1._domainkey.quillnote.app",
      status: "fail",
      detail: "no DKIM key record",
      fix: viaPulumiUp("publish the DKIM record"),
    });
    assert.equal(r.detail, "no DKIM key record. Fix: publish the DKIM record (run `pulumi up`)");
    assert.equal(r.fix, "publish the DKIM record (run `pulumi up`)");
    const stack = forRun(r, true);
    assert.equal(stack.fix, "publish the DKIM record (run `pulumi up`)");
    assert.ok(!("fixWithoutStack" in stack), "the variant is not printed");
    const domain = forRun(r, false);
    assert.equal(domain.detail, "no DKIM key record. Fix: publish the DKIM record");
    assert.equal(domain.fix, "publish the DKIM record");
    const plain = makeRow({ id: "dns.caa", check: "CAA", target: "quillnote.app", status: "warn", detail: "no CAA. Fix: publish one", fix: "publish one" });
    assert.equal(plain.detail, "no CAA. Fix: publish one", "a detail that already says the fix keeps it once");
    assert.deepEqual(forRun(plain, false), plain);
  });
});

describe("verify --stack reads the stack's offline plan", function () {
  this.timeout(60_000);
  it("loads the example's prod map, and names the stack when its plan fails", async () => {
    const { loadStackPlan } = await import("../../../tools/verify/sources");
    const map = await loadStackPlan("prod", "examples/acmechat");
    assert.equal(map.zone.name, "acmechat.dev");
    await assert.rejects(loadStackPlan("nope", "examples/acmechat"), /--stack nope: the offline plan failed: no stack file Pulumi\.nope\.yaml/);
  });
});

import * as assert from "assert";
import * as fs from "fs";
import { secretKeysFromStackFile } from "../../lib/handover";
import { fixtureSecretKeys, STACK_FILE, secureValues } from "./helpers";

describe("handover: secret key names from a stack file", () => {
  it("maps each secret env var to its config key, per target", () => {
    assert.deepStrictEqual(fixtureSecretKeys(), {
      "production/OPENAI_API_KEY": "openaiApiKeyProduction",
      "production/DATABASE_URL": "databaseUrlProduction",
      "production/STRIPE_SECRET_KEY": "stripeSecretKeyProduction",
      "production/STRIPE_WEBHOOK_SECRET": "stripeWebhookSecretProduction",
      "preview/OPENAI_API_KEY": "openaiApiKeyPreview",
      "preview/DATABASE_URL": "databaseUrlPreview",
    });
  });

  it("never picks up an encrypted value", () => {
    const values = Object.values(fixtureSecretKeys()).join(" ");
    const ciphertexts = secureValues(fs.readFileSync(STACK_FILE, "utf8"));
    assert.ok(ciphertexts.length >= 2);
    for (const c of ciphertexts) assert.ok(!values.includes(c));
  });

  it("returns nothing for a file without a hosting section, or not a stack file at all", () => {
    assert.deepStrictEqual(secretKeysFromStackFile({ config: { "launch-ready:environment": "staging" } }), {});
    assert.deepStrictEqual(secretKeysFromStackFile(undefined), {});
    assert.deepStrictEqual(secretKeysFromStackFile("text"), {});
    assert.deepStrictEqual(secretKeysFromStackFile({ config: { "launch-ready:hosting": { env: { production: { A: { secret: 3 } } } } } }), {});
  });
});

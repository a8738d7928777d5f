import * as assert from "assert";
import {
  isClientExposed,
  isPublicByDesignName,
  looksSecretName,
  looksSecretValue,
  secretReason,
  secretValueKind,
  stripClientPrefix,
} from "../../policies/shared/secret-detect";

describe("policies/shared/secret-detect", () => {
  it("flags secret names", () => {
    for (const k of [
      "OPENAI_API_KEY",
      "STRIPE_SECRET_KEY",
      "GITHUB_TOKEN",
      "DB_PASSWORD",
      "JWT_PRIVATE_KEY",
      "SENTRY_DSN",
      "DATABASE_URL",
      "REDIS_URL",
      "nextauth_secret",
      "ANTHROPIC_KEY",
    ]) {
      assert.ok(looksSecretName(k), k);
    }
  });
  it("does not flag ordinary names or public-by-design keys", () => {
    for (const k of [
      "NEXT_PUBLIC_SITE_URL",
      "NODE_ENV",
      "AUTH_URL",
      "NEXTAUTH_URL",
      "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
      "NEXT_PUBLIC_SUPABASE_ANON_KEY",
      "NEXT_PUBLIC_TURNSTILE_SITE_KEY",
      "NEXT_PUBLIC_POSTHOG_KEY",
    ]) {
      assert.ok(!looksSecretName(k), k);
    }
    assert.ok(isPublicByDesignName("NEXT_PUBLIC_SENTRY_DSN"));
  });
  it("recognises secret value shapes and names their kind", () => {
    const cases: Array<[string, string]> = [
      ["sk-proj-abcdefghijklmnopqrstuvwx", "OpenAI-style API key"],
      ["sk-ant-api03-abcdefghijklmnop", "Anthropic API key"],
      ["sk_live_abcdefghijklmnop", "Stripe secret key"],
      ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", "GitHub token"],
      ["xoxb-1234567890-abcdefghij", "Slack token"],
      ["AKIAIOSFODNN7EXAMPLE", "AWS access key id"],
      ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JWT"],
      ["postgres://app:s3cret@db.example.com:5432/prod", "URL with a password"],
      ["Zk9xQ2VuM3RhbmRvbTk4N2hpZ2hFbnRyb3B5U3RyaW5n", "long high-entropy string"],
    ];
    for (const [value, kind] of cases) assert.strictEqual(secretValueKind(value)?.kind, kind, value);
  });
  it("does not flag ordinary values", () => {
    for (const v of [
      "https://example.com",
      "postgres://localhost:5432/dev",
      "production",
      "pk_live_51Habcdefghijklmnop",
      "ops@example.com",
      "/api/health",
      "a sentence with several words in it for sure",
      42,
      undefined,
    ]) {
      assert.ok(!looksSecretValue(v), String(v));
    }
  });
  it("client-exposed prefixes", () => {
    assert.deepStrictEqual(
      ["NEXT_PUBLIC_X", "VITE_X", "REACT_APP_X", "PUBLIC_X", "NUXT_PUBLIC_X", "EXPO_PUBLIC_X", "GATSBY_X", "SERVER_X"].map(isClientExposed),
      [true, true, true, true, true, true, true, false],
    );
    assert.strictEqual(stripClientPrefix("NEXT_PUBLIC_API_KEY"), "API_KEY");
  });
  it("secretReason never contains the value", () => {
    const value = "sk_live_abcdefghijklmnop";
    const reason = secretReason("X", value)!;
    assert.match(reason, /looks like a Stripe secret key/);
    assert.ok(!reason.includes(value));
  });
});

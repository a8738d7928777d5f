// ESLint: the recommended rules of ESLint and typescript-eslint over every TypeScript source,
// with three scoped exceptions, each for a reason.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "policies/bin/**", "dist/**", "build/**", ".bench/**", ".coverage/**", "scratch/**", ".ci/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a value taken apart on purpose (destructuring a field away).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Policies and the conformance checks read provider inputs as the engine hands them: untyped
    // JSON. So do tests building fixtures, the planned-resource model and the gRPC/protobuf and
    // SDK-mock glue, whose libraries ship no types for these shapes.
    files: ["policies/rules/**", "lib/conformance/**", "lib/planned/**", "test/**", "tools/policy/**", "tools/offline/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The bin is plain CommonJS JavaScript (it runs before anything is compiled): Node's globals.
    files: ["tools/launch-ready.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
  },
  {
    // The tools load heavy modules lazily, on purpose: npm run plan starts the policy server
    // before the SDK loads, and the benchmark times module loading itself.
    files: ["tools/**", "test/**"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

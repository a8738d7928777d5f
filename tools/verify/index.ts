/** The programmatic API of `npm run verify`. */
export { runVerification, buildTasks, CATEGORIES } from "./runner";
export { verifyDomain, discoverDomainMap } from "./discover";
export { evaluateSpf, SPF_MAX_VOID_LOOKUPS } from "./spf-live";
export { formatTable, formatJson, exitCode } from "./report";
export { loadMapFile, loadOutputsFile, loadStackPlan, normalizeMap, UsageError } from "./sources";
export { main, parseCli, USAGE } from "./cli";
export { Net } from "./net";
export type { CheckResult, Report, Status, Category, VerifyOptions, ConnectTarget } from "./types";

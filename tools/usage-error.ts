/**
 * Bad usage of a command (an unknown option, a missing value): every CLI answers it with the
 * message and its usage, exit code 2. One class, so a caller can tell usage from failure.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

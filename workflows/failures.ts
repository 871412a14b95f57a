/**
 * The typed failures the workflow's validators raise and the API maps to HTTP statuses. A small
 * pure module of its own, so the server can import the constants without importing workflow code.
 */
export const FailureType = {
  /** The statute refuses the act now (409), with the reasons. */
  STEP_BLOCKED: 'STEP_BLOCKED',
  /** The act's data is malformed (400), with field issues. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

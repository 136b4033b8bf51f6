// A bad zkattn parameter: found before any work, a usage error on the command line (exit code 2).
export class ZkattnParamError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    /** The API field (and, as --kebab-case, the flag) that was wrong. */
    readonly param: string,
  ) {
    super(message);
    this.name = 'ZkattnParamError';
  }
}

/** A proof that did not verify, a lookup count or an output that disagrees: a runtime failure (exit code 1). */
export class ZkattnCheckError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ZkattnCheckError';
  }
}

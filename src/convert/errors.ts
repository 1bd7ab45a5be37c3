// One error type for everything the converter rejects, so the CLI can print the message alone
// (no stack trace) and exit non-zero. Messages always name the file and/or tensor at fault.

export class ConvertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvertError';
  }
}

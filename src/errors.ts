/** A problem a person can act on; its message is shown as is. Anything else is a bug. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export const UNEXPECTED =
  'Something went wrong inside Governed Path. Nothing in the registry was changed; please try again, and tell the security team if it keeps happening.';

/** The sentence to show a person for any error: theirs to fix, or a calm apology. */
export function messageFor(error: unknown): string {
  return error instanceof UserError ? error.message : UNEXPECTED;
}

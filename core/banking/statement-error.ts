/**
 * Why a bank statement file was refused. `code` is the stable slug the API answers with; `detail`
 * says, for staff, what in the file is wrong. Nothing is imported from a refused file.
 */
export type StatementErrorCode =
  /**
   * Not XML, not well-formed, not a camt.052/053/054 document, missing what a camt file must
   * have — or carrying a DOCTYPE/ENTITY declaration, which camt never needs and which is the door
   * to XXE and entity bombs.
   */
  | 'statement-invalid'
  /** Larger than MAX_STATEMENT_BYTES; refused before parsing. */
  | 'statement-too-large';

export class StatementError extends Error {
  readonly code: StatementErrorCode;

  constructor(code: StatementErrorCode, detail: string) {
    super(detail);
    this.name = 'StatementError';
    this.code = code;
  }

  get detail(): string {
    return this.message;
  }
}

/** Storage-free SEPA transfer core: IBAN/BIC, ISO 11649 references, EPC QR text, camt parsing, matching. */
export * from './iban';
export * from './creditor-reference';
export * from './epc-qr';
export * from './camt';
export * from './match';
export { StatementError, type StatementErrorCode } from './statement-error';

import { randomInt } from 'node:crypto';
import type { Tx } from '../store/port';
import { createCreditorReference } from './creditor-reference';

/**
 * An RF reference of 16 random digits: payers who type it by hand cannot mistake O for 0 or
 * I for 1, and a banking app's number pad takes it.
 */
function randomReference(): string {
  let body = String(randomInt(1, 10));
  while (body.length < 16) body += String(randomInt(0, 10));
  return createCreditorReference(body);
}

/** A creditor reference no payment and no link has: a reference must never be shared. */
export async function newCreditorReference(t: Tx): Promise<string> {
  let reference = randomReference();
  // 16 random digits: a clash is all but impossible, but it costs one indexed read to be sure.
  while (await t.bank.referenceTaken(reference)) reference = randomReference();
  return reference;
}

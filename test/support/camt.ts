/**
 * Bank statements shaped the way banks write them, for the tests: camt.053 (or .052/.054) with
 * one entry per credit, the reference where the bank puts it (structured SCOR, or free text).
 */
export interface CreditSpec {
  amount: string;
  /** RmtInf/Strd/CdtrRefInf/Ref (type SCOR). */
  structured?: string;
  /** RmtInf/Ustrd lines. */
  ustrd?: string[];
  debtorName?: string;
  debtorIban?: string;
  /** The bank's own reference: what makes the same credit recognisable in two files. */
  ref?: string;
  reversal?: boolean;
  debit?: boolean;
  pending?: boolean;
  /** Several transactions in one entry (a batch). */
  batch?: CreditSpec[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function tx(c: CreditSpec): string {
  const rmt = [
    ...(c.structured ? [`<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${esc(c.structured)}</Ref></CdtrRefInf></Strd>`] : []),
    ...(c.ustrd ?? []).map((u) => `<Ustrd>${esc(u)}</Ustrd>`),
  ].join('');
  return `<TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId>${c.ref ? `<AcctSvcrRef>${esc(c.ref)}</AcctSvcrRef>` : ''}</Refs>
            <Amt Ccy="EUR">${c.amount}</Amt>
            <CdtDbtInd>${c.debit ? 'DBIT' : 'CRDT'}</CdtDbtInd>
            <RltdPties><Dbtr><Pty><Nm>${esc(c.debtorName ?? 'Erika Mustermann')}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>${c.debtorIban ?? 'DE02120300000000202051'}</IBAN></Id></DbtrAcct></RltdPties>
            ${rmt ? `<RmtInf>${rmt}</RmtInf>` : ''}
          </TxDtls>`;
}

function entry(c: CreditSpec, i: number): string {
  const parts = c.batch ?? [c];
  const total = parts.reduce((sum, p) => sum + Math.round(Number(p.amount) * 100), 0);
  return `<Ntry>
        <Amt Ccy="EUR">${(total / 100).toFixed(2)}</Amt>
        <CdtDbtInd>${c.debit ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        <RvslInd>${c.reversal ? 'true' : 'false'}</RvslInd>
        <Sts><Cd>${c.pending ? 'PDNG' : 'BOOK'}</Cd></Sts>
        <BookgDt><Dt>2026-01-15</Dt></BookgDt>
        <ValDt><Dt>2026-01-15</Dt></ValDt>
        <AcctSvcrRef>${esc(c.ref ?? `ENTRY-${i}-${Math.random().toString(36).slice(2)}`)}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>${parts.map(tx).join('')}</NtryDtls>
      </Ntry>`;
}

/** A camt.05x statement for `iban` with these entries. */
export function camtStatement(iban: string, credits: CreditSpec[], { kind = '053', version = '08', messageId = `MSG-${Date.now()}` } = {}): string {
  const root = kind === '052' ? 'BkToCstmrAcctRpt' : kind === '054' ? 'BkToCstmrDbtCdtNtfctn' : 'BkToCstmrStmt';
  const block = kind === '052' ? 'Rpt' : kind === '054' ? 'Ntfctn' : 'Stmt';
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.${version}">
  <${root}>
    <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2026-01-15T22:00:00+01:00</CreDtTm></GrpHdr>
    <${block}>
      <Id>${messageId}-1</Id>
      <CreDtTm>2026-01-15T22:00:00+01:00</CreDtTm>
      <Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      ${credits.map(entry).join('\n')}
    </${block}>
  </${root}>
</Document>`;
}

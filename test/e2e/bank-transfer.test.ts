/**
 * Issue 8 in a real Chromium against a real listening app, as in a shop: the merchant enters the
 * IBAN, switches to live mode, charges by "Bank QR"; the counter display (a tablet) shows the EPC
 * QR itself; a customer's phone shows the dialog's bank-transfer page; the day's camt.053,
 * dropped on the Bank screen, settles the payments by their creditor references; test mode is
 * marked TEST everywhere. Screenshots go to test-artifacts/screenshots/bank-*.png.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CSRF, HAS_CHROMIUM, SCREENSHOTS, decodeQr, staffContext, tempDir, watchConsole, openShop, type Shop } from './staff-helpers';

const SLOW = 120_000;
const IBAN = 'DE89370400440532013000';
const HOLDER = 'Bakery Bloom GmbH';
const LIVE = { ...CSRF, 'Counterlink-Mode': 'live' } as const;

interface ApiPayment {
  id: string;
  linkId: string;
  refId: string;
  status: string;
  amount: string;
  method: string;
  livemode: boolean;
  bankTransfer?: { creditorReference: string; amountReceived: string; source: string | null; reversed: boolean };
}

/** A camt.053.001.08 day statement of the shop's account, one booked credit per entry. */
function camt053(messageId: string, entries: { amount: string; name: string; iban: string; strd?: string; ustrd?: string }[]): string {
  const ntry = entries
    .map(
      (e, i) => `
      <Ntry>
        <Amt Ccy="EUR">${e.amount}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <RvslInd>false</RvslInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-01-15</Dt></BookgDt>
        <ValDt><Dt>2026-01-15</Dt></ValDt>
        <AcctSvcrRef>${messageId}-${i + 1}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId><TxId>${messageId}-TX-${i + 1}</TxId></Refs>
            <Amt Ccy="EUR">${e.amount}</Amt>
            <CdtDbtInd>CRDT</CdtDbtInd>
            <RltdPties>
              <Dbtr><Pty><Nm>${e.name}</Nm></Pty></Dbtr>
              <DbtrAcct><Id><IBAN>${e.iban}</IBAN></Id></DbtrAcct>
            </RltdPties>
            <RmtInf>${e.ustrd ? `<Ustrd>${e.ustrd}</Ustrd>` : ''}${
              e.strd ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${e.strd}</Ref></CdtrRefInf></Strd>` : ''
            }</RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2026-01-15T22:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${messageId}-1</Id>
      <CreDtTm>2026-01-15T22:00:00+01:00</CreDtTm>
      <Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>${ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}

describe.skipIf(!HAS_CHROMIUM)('bank transfers in the staff UI, on the display and in the dialog (Chromium)', () => {
  let browser: Browser;
  let shop: Shop;
  let url: string;
  let posId: string;
  let staff: BrowserContext;
  let files: string;
  const consoleErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  /** The Bank QR charge of the counter, and the payment of the dialog. */
  let counterPayment: ApiPayment;
  let dialogPayment: ApiPayment;
  let display: Page;
  let phone: Page;

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOTS, `bank-${name}.png`), fullPage });

  async function staffPage(path = '/', viewport?: { width: number; height: number }): Promise<Page> {
    const page = await staff.newPage();
    if (viewport) await page.setViewportSize(viewport);
    page.setDefaultTimeout(15_000);
    watchConsole(page, consoleErrors);
    await page.goto(`${url}${path}`);
    return page;
  }

  async function livePayments(status = 'pending'): Promise<ApiPayment[]> {
    const res = await staff.request.get(`${url}/api/v1/payments?status=${status}`, { headers: LIVE });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { data: ApiPayment[] }).data;
  }

  async function livePayment(id: string): Promise<ApiPayment> {
    const res = await staff.request.get(`${url}/api/v1/payments/${id}`, { headers: LIVE });
    expect(res.status()).toBe(200);
    return (await res.json()) as ApiPayment;
  }

  beforeAll(async () => {
    files = tempDir('counterlink-camt-');
    shop = await openShop();
    ({ url, posId, browser } = shop);
    staff = await staffContext(browser, url);
  }, SLOW);

  afterAll(async () => {
    await shop?.close([...contexts, ...(staff ? [staff] : [])]);
    // The refused statement's 422 is the one error the browser logs, by design.
    const unexpected = consoleErrors.filter((e) => !/status of 422/.test(e));
    if (unexpected.length > 0) console.log('console errors:', unexpected);
    expect(unexpected).toEqual([]);
  });

  it(
    'starts in test mode, marked TEST on every screen; the switch goes live and stays live',
    async () => {
      const page = await staffPage('/');
      await page.getByTestId('amount-display').waitFor();
      await page.getByTestId('test-band').waitFor();
      await expect(page.getByTestId('mode-switch').getAttribute('aria-checked')).resolves.toBe('true');
      // Every request says which mode it is for.
      const modes: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/')) modes.push(r.headers()['counterlink-mode'] ?? 'none');
      });
      // A test charge is a test link, marked TEST.
      for (const k of ['4', '2', '0']) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="charge-live"][data-phase="waiting"]').waitFor();
      await page.locator('.charge-live-text [data-testid="test-badge"]').waitFor();
      await shot(page, 'test-mode-charge');
      await page.getByTestId('charge-cancel').click();
      await page.locator('[data-testid="charge-live"][data-phase="cancelled"]').waitFor();
      for (const path of ['Links', 'Payments', 'Bank', 'Feed', 'Settings']) {
        await page.getByRole('link', { name: path, exact: true }).click();
        await page.getByTestId('test-band').waitFor();
      }
      await page.getByRole('link', { name: 'Links', exact: true }).click();
      await page.locator('[data-link-id] [data-testid="test-badge"]').first().waitFor();
      await shot(page, 'test-mode-links');
      expect(modes.length).toBeGreaterThan(3);
      expect(new Set(modes)).toEqual(new Set(['test']));

      // Live: no band, nothing of test mode in the lists.
      await page.getByTestId('mode-switch').click();
      await expect(page.getByTestId('mode-switch').getAttribute('aria-checked')).resolves.toBe('false');
      expect(await page.getByTestId('test-band').count()).toBe(0);
      await page.waitForFunction(() => document.querySelector('[data-testid="links-table"]') !== null || document.querySelector('.empty') !== null);
      expect(await page.locator('[data-link-id]').count()).toBe(0);
      expect(await page.evaluate(() => localStorage.getItem('counterlink.mode'))).toBe('live');
      await page.reload();
      await page.getByRole('heading', { name: 'Links' }).waitFor();
      await expect(page.getByTestId('mode-switch').getAttribute('aria-checked')).resolves.toBe('false');
      expect(await page.getByTestId('test-band').count()).toBe(0);
      await page.close();
    },
    SLOW,
  );

  it(
    'Settings → Bank transfer: the IBAN is checked as typed, shown in fours, saved; the holder warning is there',
    async () => {
      const page = await staffPage('/settings#bank-transfer');
      const card = page.locator('.bank-settings');
      await card.waitFor();
      await expect(page.getByTestId('bank-ready').getAttribute('data-ready')).resolves.toBe('false');
      await expect(page.getByTestId('holder-warning').innerText()).resolves.toContain('exactly as your bank has it');

      await card.getByLabel('Account holder').fill(HOLDER);
      // A typo in the IBAN: the check digits catch it as soon as the field is left.
      await card.getByLabel('IBAN').fill('de89 3704 0044 0532 0130 01');
      await card.getByLabel('BIC').click();
      await expect(card.locator('[data-field="iban"] .field-error').innerText()).resolves.toContain('check digits');
      await card.getByLabel('IBAN').fill('de8937040044053201300');
      await card.getByLabel('BIC').click();
      await expect(card.locator('[data-field="iban"] .field-error').innerText()).resolves.toBe('An IBAN from DE has 22 characters, this one has 21.');
      await card.getByLabel('IBAN').fill('de89370400440532013000');
      await card.getByLabel('BIC').fill('COBADEFFXXX');
      await expect(card.getByLabel('IBAN').inputValue()).resolves.toBe('DE89 3704 0044 0532 0130 00');
      await expect(card.locator('[data-field="iban"] .field-hint').innerText()).resolves.toBe('Valid IBAN (DE)');
      await card.getByLabel('Days to wait for the money').fill('31');
      await card.getByTestId('bank-save').click();
      await expect(card.locator('[data-field="holdDays"] .field-error').innerText()).resolves.toContain('1 to 30');
      await card.getByLabel('Days to wait for the money').fill('5');
      await shot(page, 'settings-filled');
      await card.getByTestId('bank-save').click();
      await page.getByText('Bank details saved').waitFor();
      await expect(page.getByTestId('bank-ready').getAttribute('data-ready')).resolves.toBe('true');

      const settings = (await (await staff.request.get(`${url}/api/v1/settings`, { headers: LIVE })).json()) as { bankTransfer: Record<string, unknown> };
      expect(settings.bankTransfer).toMatchObject({ accountHolder: HOLDER, iban: IBAN, bic: 'COBADEFFXXX', holdDays: 5 });

      // The server's own check (a holder too long for a SEPA transfer) lands beside the field too.
      const res = await staff.request.patch(`${url}/api/v1/settings`, { headers: LIVE, data: { bankTransfer: { accountHolder: HOLDER, iban: 'DE89370400440532013001' } } });
      expect(res.status()).toBe(422);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toContain('bankTransfer.iban');

      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: join(SCREENSHOTS, 'bank-settings.png') });
      await page.close();
    },
    SLOW,
  );

  it(
    'charges €12.50 as "Bank QR" in live mode: the tablet display shows the EPC QR itself, a banking app reads the transfer from it',
    async () => {
      const displayCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE', deviceScaleFactor: 1 });
      contexts.push(displayCtx);
      display = await displayCtx.newPage();
      display.setDefaultTimeout(15_000);
      watchConsole(display, consoleErrors);
      await display.goto(`${url}/display/${posId}`);
      await display.locator('[data-mode="idle"]').waitFor();

      const page = await staffPage('/');
      await page.getByTestId('amount-display').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="stream-status"]')?.getAttribute('data-status') === 'live');
      for (const k of ['1', '2', '5', '0']) await page.keyboard.press(k);
      await expect(page.getByTestId('charge-bank-qr').isEnabled()).resolves.toBe(true);
      await shot(page, 'charge-entry');
      await page.getByTestId('charge-bank-qr').click();
      await page.locator('[data-testid="charge-live"][data-method="sepa_transfer"][data-phase="paying"]').waitFor();
      await expect(page.getByTestId('charge-phase').innerText()).resolves.toContain('Waiting for the transfer');
      await page.locator('[data-testid="epc-qr"][data-state="ready"] img').waitFor();

      counterPayment = (await livePayments())[0]!;
      expect(counterPayment).toMatchObject({ amount: '12.50', method: 'sepa_transfer', status: 'pending', livemode: true });
      const rf = counterPayment.bankTransfer!.creditorReference;
      expect(rf).toMatch(/^RF\d{2}[A-Z0-9]{1,21}$/);

      const staffQr = await decodeQr(page.getByTestId('epc-qr'));
      expect(staffQr?.split('\n').slice(0, 7)).toEqual(['BCD', '002', '1', 'SCT', 'COBADEFFXXX', HOLDER, IBAN]);
      await shot(page, 'charge-live');

      // The display: the EPC QR itself, to be scanned with a banking app, with amount, holder and reference.
      await display.locator('[data-mode="bank_transfer"]').waitFor();
      await display.locator('[data-testid="display-epc-qr"] img').waitFor();
      await display.waitForFunction(() => (document.querySelector('[data-testid="display-epc-qr"] img') as HTMLImageElement | null)?.complete === true);
      // The display speaks the link's language (the shop's default, en), whatever the tablet's.
      await expect(display.getByTestId('display-amount').innerText()).resolves.toBe('€12.50');
      const facts = await display.getByTestId('display-bank-facts').innerText();
      expect(facts).toContain(HOLDER);
      expect(facts).toContain('DE89 3704 0044 0532 0130 00');
      expect(facts.replace(/\s/g, '')).toContain(rf);
      expect(await display.locator('.display-scan').innerText()).toBe('Scan with your banking app');
      const payload = await decodeQr(display.getByTestId('display-epc-qr'));
      expect(payload?.split('\n')).toEqual(['BCD', '002', '1', 'SCT', 'COBADEFFXXX', HOLDER, IBAN, 'EUR12.50', '', rf, '', counterPayment.refId]);
      expect(await display.getByTestId('display-test').count()).toBe(0);
      await shot(display, 'display-tablet');
      await page.close();
    },
    SLOW,
  );

  it(
    'the dialog’s bank-transfer page on a phone: details in fours with copy buttons, the EPC QR, live status',
    async () => {
      const create = await staff.request.post(`${url}/api/v1/links`, { headers: LIVE, data: { name: 'Invoice 2026-0042', amount: '48.90', methods: ['sepa_transfer'], locale: 'en' } });
      expect(create.status()).toBe(201);
      const link = (await create.json()) as { id: string; url: string; livemode: boolean };
      expect(link.livemode).toBe(true);

      const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-US', timezoneId: 'Europe/Berlin' });
      contexts.push(phoneCtx);
      await phoneCtx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
      phone = await phoneCtx.newPage();
      phone.setDefaultTimeout(15_000);
      watchConsole(phone, consoleErrors);
      // The customer starts paying by transfer (the method chooser is issue 9's): a form post, as without JS.
      const start = await phoneCtx.request.post(`${url}/pay-by-link/${link.id}/payments`, { form: { method: 'sepa_transfer', locale: 'en' }, maxRedirects: 0 });
      expect(start.status()).toBe(303);
      const transferUrl = new URL(start.headers().location!, url).toString();
      const res = await phone.goto(transferUrl);
      expect(res?.status()).toBe(200);

      dialogPayment = (await livePayments()).find((p) => p.linkId === link.id)!;
      const rf = dialogPayment.bankTransfer!.creditorReference;
      await expect(phone.locator('#iban-value').innerText()).resolves.toBe('DE89 3704 0044 0532 0130 00');
      await expect(phone.locator('#holder-value').innerText()).resolves.toBe(HOLDER);
      await expect(phone.locator('#amount-value').innerText()).resolves.toBe('€48.90');
      await expect(phone.locator('#reference-value').innerText()).resolves.toBe(rf.replace(/(.{4})(?=.)/g, '$1 '));
      expect(await phone.getByText(/test/i).count()).toBe(0);
      // The EPC QR on the page is the payment's.
      await phone.waitForFunction(() => ((document.querySelector('.epc__img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
      const payload = await decodeQr(phone.locator('.epc__img'));
      expect(payload?.split('\n').slice(5, 10)).toEqual([HOLDER, IBAN, 'EUR48.90', '', rf]);
      // Copy buttons: shown by dialog.js, copying the IBAN without spaces.
      const copyIban = phone.locator('[data-field="iban"] .copy-btn');
      await copyIban.waitFor();
      await copyIban.tap();
      await phone.waitForFunction(() => document.querySelector('[data-field="iban"] .copy-btn')?.textContent === 'Copied');
      expect(await phone.evaluate(() => navigator.clipboard.readText())).toBe(IBAN);
      await phone.evaluate(() => window.scrollTo(0, 0));
      await shot(phone, 'dialog-phone');
      await shot(phone, 'dialog-phone-full', true);
    },
    SLOW,
  );

  it(
    'the day’s camt.053 dropped on the Bank screen settles both payments: counter, display and phone follow',
    async () => {
      const charge = await staffPage('/');
      await charge.locator('[data-testid="charge-live"][data-method="sepa_transfer"]').waitFor();

      const page = await staffPage('/bank');
      await page.getByTestId('statement-drop').waitFor();
      await shot(page, 'bank-empty');

      // Not a statement: a clear error, nothing changes.
      const bad = join(files, 'notes.xml');
      writeFileSync(bad, '<?xml version="1.0"?><notes><note>hello</note></notes>');
      await page.getByTestId('statement-file').setInputFiles(bad);
      await page.getByTestId('import-error').waitFor();
      await expect(page.getByTestId('import-error').innerText()).resolves.toContain('not a camt bank statement');

      const xml = camt053('BLOOM-2026-01-15', [
        // The counter's customer: the banking app sent the reference structured.
        { amount: '12.50', name: 'Erika Mustermann', iban: 'DE02120300000000202051', strd: counterPayment.bankTransfer!.creditorReference },
        // The invoice's payer typed it by hand, in lower case with spaces.
        { amount: '48.90', name: 'Hans Meier', iban: 'AT611904300234573201', ustrd: `Rechnung ${dialogPayment.bankTransfer!.creditorReference.toLowerCase().replace(/(.{4})/g, '$1 ')}` },
        // Someone paid without any reference.
        { amount: '5.00', name: 'Unknown Payer', iban: 'NL91ABNA0417164300', ustrd: 'Danke!' },
      ]);
      const path = join(files, 'camt053-2026-01-15.xml');
      writeFileSync(path, xml);
      // Dropped like a file from the desktop.
      const dataTransfer = await page.evaluateHandle(
        ({ text, name }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([text], name, { type: 'text/xml' }));
          return dt;
        },
        { text: xml, name: 'camt053-2026-01-15.xml' },
      );
      await page.getByTestId('statement-drop').dispatchEvent('dragenter', { dataTransfer });
      await page.getByTestId('statement-drop').dispatchEvent('drop', { dataTransfer });
      const result = page.getByTestId('import-result').first();
      await result.waitFor();
      await expect(result.getAttribute('data-kind')).resolves.toBe('camt.053');
      await expect(result.locator('[data-count="credits"]').getAttribute('data-value')).resolves.toBe('3');
      await expect(result.locator('[data-count="matched"]').getAttribute('data-value')).resolves.toBe('2');
      await expect(result.locator('[data-count="unmatched"]').getAttribute('data-value')).resolves.toBe('1');
      await expect(result.locator('[data-count="duplicates"]').getAttribute('data-value')).resolves.toBe('0');

      expect((await livePayment(counterPayment.id)).status).toBe('succeeded');
      expect(await livePayment(dialogPayment.id)).toMatchObject({ status: 'succeeded', bankTransfer: { source: 'statement', amountReceived: '48.90' } });
      // Counter, display and phone hear of it by themselves.
      await charge.locator('[data-testid="charge-live"][data-phase="paid"]').waitFor();
      await display.locator('[data-mode="result"][data-result="succeeded"]').waitFor();
      await shot(display, 'display-paid');
      await phone.waitForURL(/\/result\/pay_/, { timeout: 20_000 });
      await phone.getByRole('heading', { name: 'Payment successful' }).waitFor();
      await shot(phone, 'dialog-phone-paid');

      // The same file again (overlapping statements): duplicates, nothing changes.
      await page.getByTestId('statement-file').setInputFiles(path);
      await page.locator('[data-testid="import-result"]').nth(1).waitFor();
      await expect(page.getByTestId('import-result').first().locator('[data-count="duplicates"]').getAttribute('data-value')).resolves.toBe('3');
      await page.locator('[data-testid="statement-history"] [data-statement-id]').nth(1).waitFor();
      await page.locator('[data-testid="unmatched-table"] [data-credit-id]').first().waitFor();
      await shot(page, 'bank-imported', true);
      await charge.close();
      await page.close();
    },
    SLOW,
  );

  it(
    'staff settle the unmatched credit by hand, and confirm another transfer with "Received"',
    async () => {
      // Another Bank QR charge of €5.00: the unknown payer's money belongs to it.
      const charge = await staffPage('/');
      await charge.locator('[data-testid="amount-display"], [data-testid="charge-live"]').first().waitFor();
      if (await charge.getByTestId('charge-new').count()) await charge.getByTestId('charge-new').click();
      await charge.getByTestId('amount-display').waitFor();
      for (const k of ['5', '0', '0']) await charge.keyboard.press(k);
      await charge.getByTestId('charge-bank-qr').click();
      await charge.locator('[data-testid="charge-live"][data-method="sepa_transfer"]').waitFor();
      const five = (await livePayments()).find((p) => p.amount === '5.00')!;

      const page = await staffPage('/bank');
      await page.getByTestId('assign-credit').first().click();
      const dialog = page.getByTestId('assign-dialog');
      await dialog.getByTestId('assign-search').fill(five.refId.toLowerCase());
      await dialog.locator(`[data-payment-id="${five.id}"]`).click();
      await dialog.screenshot({ path: join(SCREENSHOTS, 'bank-assign.png') });
      await dialog.getByRole('button', { name: 'Assign' }).click();
      await page.getByText(`Credit assigned to ${five.refId}`).waitFor();
      await page.getByTestId('unmatched-empty').waitFor();
      expect((await livePayment(five.id)).status).toBe('succeeded');
      await charge.locator('[data-testid="charge-live"][data-phase="paid"]').waitFor();

      // "Received": staff saw the money in online banking.
      await charge.getByTestId('charge-new').click();
      for (const k of ['7', '8', '0']) await charge.keyboard.press(k);
      await charge.getByTestId('charge-bank-qr').click();
      await charge.locator('[data-testid="charge-live"][data-method="sepa_transfer"]').waitFor();
      await charge.getByTestId('charge-received').click();
      const confirm = charge.getByTestId('charge-received-dialog');
      await expect(confirm.locator('h2').innerText()).resolves.toBe('Has €7.80 arrived?');
      await confirm.screenshot({ path: join(SCREENSHOTS, 'bank-received-confirm.png') });
      await confirm.getByRole('button', { name: 'Yes, €7.80 received' }).click();
      await charge.locator('[data-testid="charge-live"][data-phase="paid"]').waitFor();
      const seven = (await livePayments('succeeded')).find((p) => p.amount === '7.80')!;
      expect(seven.bankTransfer).toMatchObject({ source: 'staff' });

      // The payment's page tells the whole story.
      const detail = await staffPage(`/payments/${dialogPayment.id}`);
      await detail.getByTestId('bank-transfer').waitFor();
      await expect(detail.getByTestId('creditor-reference').innerText()).resolves.toBe(dialogPayment.bankTransfer!.creditorReference.replace(/(.{4})(?=.)/g, '$1 '));
      await detail.getByTestId('transfer-credits').waitFor();
      await expect(detail.getByTestId('transfer-credits').innerText()).resolves.toContain('Hans Meier');
      await shot(detail, 'payment-detail', true);
      await charge.close();
      await page.close();
      await detail.close();
    },
    SLOW,
  );

  it(
    'a pending transfer payment has "Received" on its page too; back in test mode the live data is gone and TEST is everywhere',
    async () => {
      const page = await staffPage('/');
      await page.locator('[data-testid="amount-display"], [data-testid="charge-live"]').first().waitFor();
      if (await page.getByTestId('charge-new').count()) await page.getByTestId('charge-new').click();
      await page.getByTestId('amount-display').waitFor();
      for (const k of ['2', '0', '0', '0']) await page.keyboard.press(k);
      await page.getByTestId('charge-bank-qr').click();
      await page.locator('[data-testid="charge-live"][data-method="sepa_transfer"]').waitFor();
      const twenty = (await livePayments()).find((p) => p.amount === '20.00')!;
      await page.goto(`${url}/payments/${twenty.id}`);
      await page.getByTestId('payment-received').click();
      await page.getByTestId('payment-received-dialog').getByRole('button', { name: 'Yes, €20.00 received' }).click();
      await page.locator('.title-with-chip [data-status="succeeded"]').waitFor();

      // Test mode: the band is back, the live payments are not listed.
      await page.goto(`${url}/settings`);
      await page.getByRole('radio', { name: 'Test' }).click();
      await page.getByTestId('test-band').waitFor();
      await page.getByRole('link', { name: 'Payments', exact: true }).click();
      await page.getByRole('heading', { name: 'Payments' }).waitFor();
      await page.waitForTimeout(300);
      expect(await page.locator(`[data-payment-id="${twenty.id}"]`).count()).toBe(0);
      await shot(page, 'test-mode-payments');
      await page.close();
    },
    SLOW,
  );
});

import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, feedStore, isDevice, useCan } from '../services';
import { createListStore } from '../stores/list';
import { PAYMENT_STATUSES, type Link, type Page, type Payment, type PaymentStatus } from '../api/types';
import { currencyExponent, decimalToMinor, formatMoney, minorToDecimal } from '../lib/amount';
import { dayBoundary, formatDateTime, formatDay } from '../lib/format';
import { errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { normalizeAmount } from '../lib/link-form';
import { navigate, queryParam, usePath } from '../lib/router';
import { toast } from '../stores/toast';
import { AppLink, Button, Card, ConfirmDialog, ErrorBox, Field, Money, PageHeader, PaymentStatusChip, Spinner, TestBadge } from '../components/ui';
import { IconAlert, IconCheck, IconDownload, IconPrint, IconRefund, IconSearch } from '../components/icons';
import { downloadPdf, printPdf } from '../lib/pdf';
import { formatIban, formatReference } from '../lib/bank';
import { ListTable } from '../components/ListTable';
import { errorText } from '../lib/error-text';

interface PaymentFilters {
  /** refId, reference, payer, or an amount ("12,50"). */
  q: string;
  status: PaymentStatus | '';
  createdFrom: string;
  createdTo: string;
  linkId: string;
}

export const paymentsList = createListStore<Payment, PaymentFilters>({
  key: (p) => p.id,
  initialFilters: { q: '', status: '', createdFrom: '', createdTo: '', linkId: '' },
  fetchPage: (f, cursor, limit) =>
    api.get<Page<Payment>>('/api/v1/payments', {
      limit,
      cursor,
      q: f.q.trim(),
      status: f.status,
      linkId: f.linkId.trim(),
      createdAfter: dayBoundary(f.createdFrom, false),
      createdBefore: dayBoundary(f.createdTo, true),
    }),
});

export function PaymentsScreen() {
  const { t, i18n } = useTranslation();
  const list = useStore(paymentsList);
  const linkParam = queryParam(usePath(), 'linkId') ?? '';
  const [q, setQ] = useState(list.filters.q);

  useEffect(() => {
    if (q === paymentsList.getState().filters.q) return;
    const timer = setTimeout(() => void paymentsList.getState().setFilters({ q }), 250);
    return () => clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    // /payments?linkId=… (from a link's page) shows that link's payments.
    if (linkParam !== paymentsList.getState().filters.linkId) void paymentsList.getState().setFilters({ linkId: linkParam });
    else void paymentsList.getState().load();
  }, [linkParam]);

  useEffect(() => {
    return feedStore.getState().subscribe((events) => {
      let created = false;
      for (const e of events) {
        if (!e.type.startsWith('payment.')) continue;
        if (e.type === 'payment.created') created = true;
        else paymentsList.getState().replace(e.data as Payment);
      }
      if (created && paymentsList.getState().page === 0) void paymentsList.getState().load();
    });
  }, []);

  const f = list.filters;
  const set = (patch: Partial<PaymentFilters>) => void paymentsList.getState().setFilters(patch);
  const filtered = Boolean(f.q || f.status || f.createdFrom || f.createdTo || f.linkId);

  return (
    <div className="page">
      <PageHeader title={t('payments.title')} subtitle={t('payments.subtitle')} />
      <div className="filters" role="search">
        <label className="search-box">
          <IconSearch />
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('payments.search')}
            aria-label={t('payments.search')}
            data-testid="payments-search"
          />
        </label>
        <select value={f.status} onChange={(e) => set({ status: e.target.value as PaymentStatus | '' })} aria-label={t('payments.filterStatus')}>
          <option value="">{t('payments.allStatuses')}</option>
          {PAYMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`paymentStatus.${s}`)}
            </option>
          ))}
        </select>
        <label className="date-filter">
          <span>{t('common.from')}</span>
          <input type="date" value={f.createdFrom} onChange={(e) => set({ createdFrom: e.target.value })} aria-label={t('payments.createdFrom')} />
        </label>
        <label className="date-filter">
          <span>{t('common.to')}</span>
          <input type="date" value={f.createdTo} onChange={(e) => set({ createdTo: e.target.value })} aria-label={t('payments.createdTo')} />
        </label>
        {f.linkId && (
          <span className="chip chip-gray">
            {t('payments.forLink')} <span className="mono">{f.linkId}</span>
          </span>
        )}
        {filtered && (
          <Button
            variant="ghost"
            onClick={() => {
              if (linkParam) navigate('/payments', { replace: true });
              setQ('');
              set({ q: '', status: '', createdFrom: '', createdTo: '', linkId: '' });
            }}
          >
            {t('common.resetFilters')}
          </Button>
        )}
      </div>
      <ListTable
        list={list}
        store={paymentsList}
        filtered={Boolean(filtered)}
        empty={{ title: t('payments.empty'), noMatch: t('payments.noMatch'), hint: t('payments.emptyHint') }}
        testId="payments-table"
        head={
          <tr>
            <th>{t('payments.col.refId')}</th>
            <th className="num">{t('payments.col.amount')}</th>
            <th>{t('payments.col.status')}</th>
            <th>{t('payments.col.method')}</th>
            <th>{t('payments.col.created')}</th>
          </tr>
        
        }
      >
        {list.items.map((p) => (
          <tr key={p.id} className="clickable" onClick={() => navigate(`/payments/${p.id}`)} data-payment-id={p.id}>
            <td>
              <AppLink to={`/payments/${p.id}`} className="row-title mono">
                {p.refId}
              </AppLink>
              <TestBadge livemode={p.livemode} />
              {p.bankTransfer?.reversed && (
                <span className="chip chip-red reversed-chip" title={t('bankTransfer.reversedHint')}>
                  {t('bankTransfer.reversed')}
                </span>
              )}
              {p.reference && <div className="row-sub">{p.reference}</div>}
            </td>
            <td className="num">
              <Money amount={p.amount} currency={p.currency} />
              {p.refundedAmount !== minorToDecimal(0, currencyExponent(p.currency)) && (
                <div className="row-sub">
                  −<Money amount={p.refundedAmount} currency={p.currency} />
                </div>
              )}
            </td>
            <td>
              <PaymentStatusChip status={p.status} />
            </td>
            <td>{t(`methods.${p.method}`, { defaultValue: p.method })}</td>
            <td className="nowrap">{formatDateTime(p.createdAt, i18n.language)}</td>
          </tr>
        ))}
      
      </ListTable>
    </div>
  );
}

/** One payment, and its refund. */
export function PaymentDetailScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const can = useCan();
  const [payment, setPayment] = useState<Payment | null>(null);
  const [link, setLink] = useState<Link | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refundOpen, setRefundOpen] = useState(false);
  const [refundAmount, setRefundAmount] = useState('');
  const [refundErrors, setRefundErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [receivedOpen, setReceivedOpen] = useState(false);
  const [receivedError, setReceivedError] = useState<string[]>([]);

  useEffect(() => {
    const load = (): void => {
      api.get<Payment>(`/api/v1/payments/${encodeURIComponent(id)}`).then(
        (p) => {
          setPayment(p);
          api.get<Link>(`/api/v1/links/${encodeURIComponent(p.linkId)}`).then(setLink, () => {});
        },
        (err: unknown) => setError(errorText(err)),
      );
    };
    load();
    return feedStore.getState().subscribe((events) => {
      if (events.some((e) => (e.data as { id?: string } | null)?.id === id)) load();
    });
  }, [id]);

  if (error) return <ErrorBox messages={[error]} />;
  if (!payment) return <Spinner />;

  const exp = currencyExponent(payment.currency);
  const left = (decimalToMinor(payment.amount, exp) ?? 0) - (decimalToMinor(payment.refundedAmount, exp) ?? 0);
  const refundable = (payment.status === 'succeeded' || payment.status === 'partially_refunded') && left > 0 && can('payments.refund');
  const hasReceipt = payment.status === 'succeeded' || payment.status === 'partially_refunded' || payment.status === 'refunded';
  const receiptPath = `/api/v1/payments/${encodeURIComponent(payment.id)}/receipt.pdf`;

  // The amount is typed (or picked with "Full amount") and shown on the button: a stray Enter
  // in an empty field refunds nothing.
  const typed = refundAmount.trim() === '' ? undefined : decimalToMinor(normalizeAmount(refundAmount), exp);
  const refundCheck = (): string | undefined => {
    if (refundAmount.trim() === '') return t('paymentDetail.refundAmountRequired');
    if (typed === undefined || typed <= 0) return t('paymentDetail.refundAmountInvalid');
    if (typed > left) return t('paymentDetail.refundTooMuch', { amount: formatMoney(minorToDecimal(left, exp), payment.currency, locale) });
    return undefined;
  };
  const confirmLabel =
    typed !== undefined && typed > 0 && typed <= left ? t('paymentDetail.refundSubmit', { amount: formatMoney(minorToDecimal(typed, exp), payment.currency, locale) }) : t('paymentDetail.refund');

  const refund = async (): Promise<void> => {
    const problem = refundCheck();
    if (problem) {
      setRefundErrors({ fields: { amount: [problem] }, general: [] });
      return;
    }
    setBusy(true);
    setRefundErrors(NO_ERRORS);
    try {
      const body = { amount: minorToDecimal(typed!, exp) };
      const p = await api.post<Payment>(`/api/v1/payments/${encodeURIComponent(payment.id)}/refund`, body);
      setPayment(p);
      setRefundOpen(false);
      toast(t('paymentDetail.refunded'), 'success');
    } catch (err) {
      setRefundErrors(errorToFormErrors(err, ['amount'], {}, t));
    } finally {
      setBusy(false);
    }
  };

  const transferPending = payment.method === 'sepa_transfer' && payment.status === 'pending' && can('payments.confirm');
  const amountText = formatMoney(payment.amount, payment.currency, locale);

  const confirmReceived = async (): Promise<void> => {
    setBusy(true);
    setReceivedError([]);
    try {
      const p = await api.post<Payment>(`/api/v1/payments/${encodeURIComponent(payment.id)}/confirm-transfer`, {});
      setPayment(p);
      setReceivedOpen(false);
      toast(t('bankQr.receivedToast', { amount: amountText }), 'success');
    } catch (err) {
      setReceivedError(errorToFormErrors(err, [], {}, t).general);
    } finally {
      setBusy(false);
    }
  };

  const rows: [string, ReactNode][] = [
    [t('payments.col.amount'), <Money key="a" amount={payment.amount} currency={payment.currency} />],
    ...(payment.tipAmount && (decimalToMinor(payment.tipAmount, exp) ?? 0) > 0 ? [[t('paymentDetail.tipAmount'), <Money key="tip" amount={payment.tipAmount} currency={payment.currency} />] as [string, ReactNode]] : []),
    [t('paymentDetail.refundedAmount'), <Money key="r" amount={payment.refundedAmount} currency={payment.currency} />],
    [t('payments.col.method'), t(`methods.${payment.method}`, { defaultValue: payment.method })],
    [t('paymentDetail.link'), link && !isDevice ? <AppLink key="l" to={`/links/${link.id}`}>{link.name}</AppLink> : link ? <span key="l">{link.name}</span> : <span className="mono">{payment.linkId}</span>],
    ...(payment.reference ? [[t('linkForm.reference'), payment.reference] as [string, ReactNode]] : []),
    ...(payment.payer?.name ? [[t('paymentDetail.payerName'), payment.payer.name] as [string, ReactNode]] : []),
    ...(payment.payer?.email ? [[t('paymentDetail.payerEmail'), payment.payer.email] as [string, ReactNode]] : []),
    ...Object.entries(payment.metadata).map(([k, v]) => [`${t('linkForm.metadata')}: ${k}`, v] as [string, ReactNode]),
    [t('payments.col.created'), formatDateTime(payment.createdAt, locale)],
    ...(payment.completedAt ? [[t('paymentDetail.completed'), formatDateTime(payment.completedAt, locale)] as [string, ReactNode]] : []),
    ...(payment.providerReference ? [[t('bankTransfer.providerReference'), <span key="pr" className="mono">{payment.providerReference}</span>] as [string, ReactNode]] : []),
    // Stripe refunds go out through the outbox: each shows whether Stripe has taken it yet.
    ...(payment.refunds && payment.refunds.length > 0
      ? [
          [
            t('paymentDetail.refunds'),
            <ul key="rf" className="refund-list" data-testid="refunds">
              {payment.refunds.map((r) => (
                <li key={r.id}>
                  <Money amount={r.amount} currency={payment.currency} /> · {t(`paymentDetail.refundStatus.${r.status}`)}
                </li>
              ))}
            </ul>,
          ] as [string, ReactNode],
        ]
      : []),
  ];

  return (
    <div className="page page-narrow">
      <PageHeader
        back={{ to: '/payments', label: t('nav.payments') }}
        title={
          <span className="title-with-chip">
            <span className="mono">{payment.refId}</span> <PaymentStatusChip status={payment.status} /> <TestBadge livemode={payment.livemode} />
          </span>
        }
        subtitle={<span className="mono">{payment.id}</span>}
        actions={
          <>
          {hasReceipt ? (
            <>
              <Button icon={<IconPrint />} onClick={() => void printPdf(receiptPath).catch((e: unknown) => toast(errorText(e), 'error'))} data-testid="receipt-print">
                {t('paymentDetail.printReceipt')}
              </Button>
              <Button icon={<IconDownload />} onClick={() => void downloadPdf(receiptPath, `receipt-${payment.refId}.pdf`).catch((e: unknown) => toast(errorText(e), 'error'))} data-testid="receipt-download">
                {t('paymentDetail.downloadReceipt')}
              </Button>
            </>
          ) : null}
          {transferPending ? (
            <Button
              variant="success"
              icon={<IconCheck />}
              onClick={() => {
                setReceivedError([]);
                setReceivedOpen(true);
              }}
              data-testid="payment-received"
            >
              {t('bankTransfer.received')}
            </Button>
          ) : refundable && (
            <Button
              icon={<IconRefund />}
              onClick={() => {
                setRefundAmount('');
                setRefundErrors(NO_ERRORS);
                setRefundOpen(true);
              }}
              data-testid="refund"
            >
              {t('paymentDetail.refund')}
            </Button>
          )}
          </>
        }
      />
      <Card>
        <div className="big-amount">
          <Money amount={payment.amount} currency={payment.currency} />
        </div>
        <dl className="props">
          {rows.map(([k, v], i) => (
            <div key={i} className="prop">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {payment.bankTransfer && <BankTransferCard payment={payment} pending={transferPending} />}
      <ConfirmDialog
        open={receivedOpen}
        title={t('bankQr.receivedTitle', { amount: amountText })}
        body={t('bankQr.receivedBody')}
        confirmLabel={t('bankQr.receivedConfirm', { amount: amountText })}
        variant="success"
        busy={busy}
        onClose={() => setReceivedOpen(false)}
        onConfirm={() => void confirmReceived()}
        testId="payment-received-dialog"
      >
        <ErrorBox messages={receivedError} />
      </ConfirmDialog>
      <ConfirmDialog
        open={refundOpen}
        title={t('paymentDetail.refundTitle')}
        body={t('paymentDetail.refundBody', { amount: formatMoney(minorToDecimal(left, exp), payment.currency, locale) })}
        confirmLabel={confirmLabel}
        testId="refund-dialog"
        variant="danger"
        busy={busy}
        onClose={() => setRefundOpen(false)}
        onConfirm={() => void refund()}
      >
        <Field label={t('paymentDetail.refundAmount')} errors={refundErrors.fields.amount} name="amount">
          {(p) => (
            <div className="input-affix">
              <input
                {...p}
                inputMode="decimal"
                autoComplete="off"
                autoFocus
                value={refundAmount}
                placeholder={minorToDecimal(left, exp)}
                onChange={(e) => {
                  setRefundAmount(e.target.value);
                  setRefundErrors(NO_ERRORS);
                }}
              />
              <span className="affix">{payment.currency}</span>
            </div>
          )}
        </Field>
        <Button size="sm" variant="ghost" className="refund-full" onClick={() => setRefundAmount(minorToDecimal(left, exp))} data-testid="refund-full">
          {t('paymentDetail.refundFull', { amount: formatMoney(minorToDecimal(left, exp), payment.currency, locale) })}
        </Button>
        <ErrorBox messages={refundErrors.general} />
      </ConfirmDialog>
    </div>
  );
}

/** What a bank transfer payment asked for and what the bank has said so far. */
function BankTransferCard({ payment, pending }: { payment: Payment; pending: boolean }) {
  const { t, i18n } = useTranslation();
  const bank = payment.bankTransfer!;
  const locale = i18n.language;
  const zero = minorToDecimal(0, currencyExponent(payment.currency));
  const source = bank.source === 'staff' ? t('bankTransfer.sourceStaff') : bank.source === 'statement' ? t('bankTransfer.sourceStatement') : t('bankTransfer.sourcePending');
  return (
    <Card title={t('bankTransfer.title')} className={`bank-transfer-card ${bank.reversed ? 'is-reversed' : ''}`}>
      {bank.reversed && (
        <div className="reversed-alert" role="alert" data-testid="transfer-reversed">
          <IconAlert size={20} />
          <div>
            <strong>{t('bankTransfer.reversed')}</strong>
            <div>{t('bankTransfer.reversedHint')}</div>
          </div>
        </div>
      )}
      {pending && <p className="muted">{t('bankTransfer.receivedHint', { amount: formatMoney(payment.amount, payment.currency, locale) })}</p>}
      <dl className="props" data-testid="bank-transfer">
        <div className="prop">
          <dt>{t('bankTransfer.creditorReference')}</dt>
          <dd className="mono" data-testid="creditor-reference">{formatReference(bank.creditorReference)}</dd>
        </div>
        <div className="prop">
          <dt>{t('bankTransfer.accountHolder')}</dt>
          <dd>
            {bank.accountHolder}
            <div className="mono muted small">
              {formatIban(bank.iban)}
              {bank.bic ? ` · ${bank.bic}` : ''}
            </div>
          </dd>
        </div>
        <div className="prop">
          <dt>{t('bankTransfer.amountReceived')}</dt>
          <dd>
            <Money amount={bank.amountReceived} currency={payment.currency} /> <span className="muted">/ {formatMoney(payment.amount, payment.currency, locale)}</span>
          </dd>
        </div>
        {bank.overpaidAmount && bank.overpaidAmount !== zero && (
          <div className="prop">
            <dt>{t('bankTransfer.overpaid')}</dt>
            <dd className="amber-text">
              <Money amount={bank.overpaidAmount} currency={payment.currency} />
            </dd>
          </div>
        )}
        <div className="prop">
          <dt>{t('bankTransfer.source')}</dt>
          <dd>{source}</dd>
        </div>
      </dl>
      <h3 className="subhead">{t('bankTransfer.credits')}</h3>
      {bank.credits.length === 0 ? (
        <p className="muted small">{t('bankTransfer.noCredits')}</p>
      ) : (
        <table className="table compact" data-testid="transfer-credits">
          <thead>
            <tr>
              <th>{t('bankTransfer.bookedOn')}</th>
              <th>{t('bankTransfer.debtor')}</th>
              <th className="num">{t('bank.col.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {bank.credits.map((c) => (
              <tr key={c.id}>
                <td className="nowrap">{c.bookedOn ? formatDay(c.bookedOn, locale) : '—'}</td>
                <td>
                  {c.debtorName ?? '—'}
                  {c.debtorIban && <div className="mono muted small">{formatIban(c.debtorIban)}</div>}
                </td>
                <td className="num">
                  <Money amount={c.amount} currency={payment.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, feedStore } from '../services';
import type { DayReport } from '../../../core/reports/day';
import { formatDateTime, formatDay } from '../lib/format';
import { downloadCsv, downloadPdf, printPdf } from '../lib/pdf';
import { toast } from '../stores/toast';
import { AppLink, Button, Card, ConfirmDialog, ErrorBox, Field, Money, PageHeader, Spinner, TestBadge } from '../components/ui';
import { IconCheck, IconDownload, IconPrint } from '../components/icons';
import { errorText } from '../lib/error-text';

/** Today (YYYY-MM-DD) in the shop's time zone: the report's days are the shop's days. */
export function todayIn(timeZone: string | undefined, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/**
 * Closing time: the day's totals per payment method (with tips and refunds), what is still open,
 * bank credits nobody matched; print it, close the day, hand the accountant a CSV.
 */
export function DayReportScreen() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const merchant = useStore(appStore, (s) => s.merchant);
  const pointsOfSale = useStore(appStore, (s) => s.pointsOfSale);
  const today = todayIn(merchant?.timeZone);
  const [date, setDate] = useState(today);
  const [posId, setPosId] = useState('');
  const [report, setReport] = useState<DayReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState(false);

  const query = useCallback((): Record<string, string> => ({ date, ...(posId ? { pointOfSaleId: posId } : {}) }), [date, posId]);

  const load = useCallback(() => {
    setError(null);
    api.get<DayReport>('/api/v1/reports/day', query()).then(setReport, (err: unknown) => {
      setReport(null);
      setError(errorText(err));
    });
  }, [query]);

  useEffect(() => {
    load();
    return feedStore.getState().subscribe((events) => {
      if (events.some((e) => e.type.startsWith('payment.') || e.type === 'day.closed' || e.type.startsWith('bank_'))) load();
    });
  }, [load]);

  const close = async (): Promise<void> => {
    setBusy(true);
    try {
      const closed = await api.post<DayReport>('/api/v1/reports/day/close', { date, ...(posId ? { pointOfSaleId: posId } : {}) });
      setReport(closed);
      setClosing(false);
      toast(t('dayReport.closedToast', { number: closed.closed?.number }), 'success');
    } catch (err) {
      setClosing(false);
      toast(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  };

  const pdfName = `day-report-${date}.pdf`;
  return (
    <div className="page">
      <PageHeader
        title={t('dayReport.title')}
        subtitle={t('dayReport.subtitle', { zone: merchant?.timeZone ?? '' })}
        actions={
          <>
            <Button icon={<IconPrint />} onClick={() => void printPdf('/api/v1/reports/day', query()).catch((e: unknown) => toast(errorText(e), 'error'))} data-testid="day-print">
              {t('dayReport.print')}
            </Button>
            <Button icon={<IconDownload />} onClick={() => void downloadPdf('/api/v1/reports/day', pdfName, query()).catch((e: unknown) => toast(errorText(e), 'error'))}>
              {t('dayReport.downloadPdf')}
            </Button>
            {report && !report.closed ? (
              <Button variant="primary" icon={<IconCheck />} onClick={() => setClosing(true)} data-testid="day-close">
                {t('dayReport.close')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card>
        <div className="grid-2 day-report-pick">
          <Field label={t('dayReport.day')} name="day">
            {(p) => <input {...p} type="date" value={date} max={today} onChange={(e) => e.target.value && setDate(e.target.value)} data-testid="day-date" />}
          </Field>
          <Field label={t('dayReport.pointOfSale')} name="pos">
            {(p) => (
              <select {...p} value={posId} onChange={(e) => setPosId(e.target.value)} data-testid="day-pos">
                <option value="">{t('dayReport.wholeShop')}</option>
                {pointsOfSale.map((pos) => (
                  <option key={pos.id} value={pos.id}>
                    {pos.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </Card>
      {error ? <ErrorBox messages={[error]} /> : null}
      {!report && !error ? <Spinner /> : null}
      {report ? <ReportView report={report} locale={locale} /> : null}
      <ExportCard defaultDay={date} today={today} />
      <p className="muted">
        <AppLink to="/receipts/verify">{t('verify.title')}</AppLink>
      </p>
      <ConfirmDialog
        open={closing}
        title={t('dayReport.closeTitle', { day: formatDay(date, locale) })}
        body={t('dayReport.closeBody')}
        confirmLabel={t('dayReport.closeConfirm')}
        onConfirm={() => void close()}
        onClose={() => setClosing(false)}
        busy={busy}
        testId="day-close-dialog"
      />
    </div>
  );
}

function ReportView({ report, locale }: { report: DayReport; locale: string }) {
  const { t } = useTranslation();
  const c = report.currency;
  return (
    <Card
      title={
        <span className="title-with-chip">
          {formatDay(report.date, locale)} <TestBadge livemode={report.livemode} />
        </span>
      }
    >
      <p className={report.closed ? 'day-status day-status-closed' : 'day-status'} data-testid="day-status">
        {report.closed
          ? t('dayReport.closedAs', { number: report.closed.number, at: formatDateTime(report.closed.closedAt, locale) })
          : t('dayReport.open', { from: formatDateTime(report.from, locale) })}
      </p>
      <div className="day-totals" data-testid="day-totals">
        <div>
          <span className="muted">{t('dayReport.payments', { count: report.count })}</span>
          <Money amount={report.amount} currency={c} className="day-total" />
        </div>
        <div>
          <span className="muted">{t('dayReport.tips')}</span>
          <Money amount={report.tips} currency={c} className="day-total" />
        </div>
        <div>
          <span className="muted">{t('dayReport.refunds', { count: report.refundCount })}</span>
          <Money amount={/^0+(\.0+)?$/.test(report.refunds) ? report.refunds : `-${report.refunds}`} currency={c} className="day-total" />
        </div>
        <div>
          <span className="muted">{t('dayReport.net')}</span>
          <Money amount={report.net} currency={c} className="day-total day-net" />
        </div>
      </div>
      <div className="day-methods-wrap">
        <table className="table day-methods">
          <thead>
            <tr>
              <th scope="col">{t('dayReport.method')}</th>
              <th scope="col" className="num">
                {t('dayReport.count')}
              </th>
              <th scope="col" className="num">
                {t('dayReport.amount')}
              </th>
              <th scope="col" className="num">
                {t('dayReport.tips')}
              </th>
              <th scope="col" className="num">
                {t('dayReport.refundsShort')}
              </th>
            </tr>
          </thead>
          <tbody>
            {report.byMethod.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  {t('dayReport.none')}
                </td>
              </tr>
            ) : (
              report.byMethod.map((m) => (
                <tr key={m.method}>
                  <td className="day-method">{t(`methods.${m.method}`, { defaultValue: m.method })}</td>
                  <td className="num">{m.count}</td>
                  <td className="num">
                    <Money amount={m.amount} currency={c} />
                  </td>
                  <td className="num">
                    <Money amount={m.tips} currency={c} />
                  </td>
                  <td className="num">
                    <Money amount={/^0+(\.0+)?$/.test(m.refunds) ? m.refunds : `-${m.refunds}`} currency={c} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <dl className="props">
        <div className="prop">
        <dt>{t('dayReport.pending', { count: report.pending.count })}</dt>
        <dd>
          <Money amount={report.pending.amount} currency={c} />
        </dd>
        </div>
        <div className="prop">
        <dt>{t('dayReport.unmatched', { count: report.unmatchedBankCredits.count })}</dt>
        <dd>
          <Money amount={report.unmatchedBankCredits.amount} currency={c} />
        </dd>
        </div>
      </dl>
      {report.otherCurrencies.length > 0 ? <p className="muted">{t('dayReport.otherCurrencies', { currencies: report.otherCurrencies.join(', ') })}</p> : null}
    </Card>
  );
}

/** For the accountant: payments and refunds of a range of days as CSV. */
function ExportCard({ defaultDay, today }: { defaultDay: string; today: string }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(defaultDay.slice(0, 8) + '01');
  const [to, setTo] = useState(defaultDay);
  const [error, setError] = useState<string | null>(null);
  const run = async (): Promise<void> => {
    setError(null);
    try {
      await downloadCsv('/api/v1/exports/payments.csv', `payments-${from}-${to}.csv`, { from, to });
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Card title={t('dayReport.exportTitle')}>
      <p className="muted">{t('dayReport.exportHint')}</p>
      <div className="grid-2">
        <Field label={t('dayReport.from')} name="export-from">
          {(p) => <input {...p} type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label={t('dayReport.to')} name="export-to">
          {(p) => <input {...p} type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} />}
        </Field>
      </div>
      {error ? <ErrorBox messages={[error]} /> : null}
      <div className="form-actions">
        <Button icon={<IconDownload />} onClick={() => void run()} data-testid="export-csv">
          {t('dayReport.export')}
        </Button>
      </div>
    </Card>
  );
}

import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, feedStore } from '../services';
import { ApiError } from '../api/client';
import type { BankCredit, BankStatement, Page, Payment, StatementImport } from '../api/types';
import { bankSettingsOf, countOf, filterTransferPayments, formatIban, formatReference, readFileText, STATEMENT_MAX_BYTES } from '../lib/bank';
import { formatDateTime, formatDay } from '../lib/format';
import { formatMoney } from '../lib/amount';
import { toast } from '../stores/toast';
import { AppLink, Button, Card, ConfirmDialog, Empty, ErrorBox, Money, PageHeader, Spinner, TestBadge } from '../components/ui';
import { IconAlert, IconCheck, IconSearch, IconUpload } from '../components/icons';
import { errorText } from '../lib/error-text';

/** One dropped or picked file and what became of it. */
interface ImportEntry {
  key: number;
  name: string;
  state: 'importing' | 'done' | 'error';
  result?: StatementImport;
  error?: { message: string; detail: string | null };
}

const CURRENCY = 'EUR';

/** Problem types of the statement import, in staff's words (the server's detail follows). */
function importErrorText(err: unknown, t: (k: string) => string): { message: string; detail: string | null } {
  if (err instanceof ApiError) {
    const detail = err.problem.detail || null;
    if (err.problem.type === 'statement-invalid') return { message: t('bank.statementInvalid'), detail };
    if (err.problem.type === 'statement-account-mismatch') return { message: t('bank.accountMismatch'), detail };
    if (err.status === 413) return { message: t('bank.tooLarge'), detail: null };
    return { message: errorText(err), detail: null };
  }
  return { message: errorText(err), detail: null };
}

function looksLikeXml(name: string, type: string): boolean {
  return /\.(xml|camt|05[234])$/i.test(name) || /xml/i.test(type) || type === '';
}

/**
 * The Bank screen: drop the bank's camt files (the day's camt.053, intraday camt.052, camt.054
 * notifications) to confirm transfer payments; see what each import did, the imports so far,
 * and the credits nobody could match, with a way to settle each by hand.
 */
export function BankScreen() {
  const { t } = useTranslation();
  const merchant = useStore(appStore, (s) => s.merchant);
  const [entries, setEntries] = useState<ImportEntry[]>([]);
  const [history, setHistory] = useState<BankStatement[] | null>(null);
  const [unmatched, setUnmatched] = useState<BankCredit[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [assigning, setAssigning] = useState<BankCredit | null>(null);
  const nextKey = useRef(1);
  const account = bankSettingsOf(merchant).iban;

  const reload = useCallback(() => {
    api.get<Page<BankStatement>>('/api/v1/bank-statements', { limit: 50 }).then(
      (r) => setHistory(r.data),
      (err: unknown) => {
        setHistory([]);
        setLoadError(errorText(err));
      },
    );
    api.get<Page<BankCredit>>('/api/v1/bank-credits', { status: 'unmatched', limit: 200 }).then(
      (r) => setUnmatched(r.data),
      () => setUnmatched([]),
    );
  }, []);

  useEffect(() => {
    reload();
    return feedStore.getState().subscribe((events) => {
      if (events.some((e) => e.type.startsWith('bank_') || e.type === 'payment.transfer_reversed')) reload();
    });
  }, [reload]);

  const importFiles = async (files: File[]): Promise<void> => {
    for (const file of files) {
      const key = nextKey.current++;
      const update = (patch: Partial<ImportEntry>): void => setEntries((list) => list.map((e) => (e.key === key ? { ...e, ...patch } : e)));
      setEntries((list) => [{ key, name: file.name, state: 'importing' as const }, ...list].slice(0, 20));
      if (file.size > STATEMENT_MAX_BYTES) {
        update({ state: 'error', error: { message: t('bank.tooLarge'), detail: null } });
        continue;
      }
      if (!looksLikeXml(file.name, file.type)) {
        update({ state: 'error', error: { message: t('bank.notXml'), detail: null } });
        continue;
      }
      try {
        const text = await readFileText(file);
        const result = await api.postRaw<StatementImport>('/api/v1/bank-statements', text, 'application/xml');
        update({ state: 'done', result });
      } catch (err) {
        update({ state: 'error', error: importErrorText(err, t) });
      }
    }
    reload();
  };

  return (
    <div className="page bank-page">
      <PageHeader title={t('bank.title')} subtitle={t('bank.subtitle')} />
      <DropZone onFiles={(files) => void importFiles(files)} account={account} />
      {entries.length > 0 && (
        <section className="import-results" aria-live="polite" data-testid="import-results">
          {entries.map((e) => (
            <ImportResult key={e.key} entry={e} />
          ))}
        </section>
      )}
      <Card title={t('bank.unmatchedTitle')} className="unmatched-card">
        <p className="muted small">{t('bank.unmatchedHint')}</p>
        {unmatched === null ? (
          <Spinner />
        ) : unmatched.length === 0 ? (
          <p className="muted" data-testid="unmatched-empty">
            {t('bank.unmatchedEmpty')}
          </p>
        ) : (
          <UnmatchedTable credits={unmatched} onAssign={setAssigning} />
        )}
      </Card>
      <Card title={t('bank.history')}>
        {loadError && <ErrorBox messages={[loadError]} />}
        {history === null ? <Spinner /> : history.length === 0 ? <Empty title={t('bank.historyEmpty')} /> : <HistoryTable imports={history} />}
      </Card>
      {assigning && (
        <AssignDialog
          credit={assigning}
          onClose={() => setAssigning(null)}
          onDone={() => {
            setAssigning(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function DropZone({ onFiles, account }: { onFiles: (files: File[]) => void; account: string | null }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  const take = (list: FileList | null | undefined): void => {
    const files = list ? Array.from(list) : [];
    if (files.length > 0) onFiles(files);
  };

  const onDragEnter = (e: DragEvent): void => {
    if (!Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    depth.current += 1;
    setOver(true);
  };
  const onDragLeave = (): void => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setOver(false);
  };

  return (
    <div
      className={`dropzone ${over ? 'is-over' : ''}`}
      data-testid="statement-drop"
      onDragEnter={onDragEnter}
      onDragOver={(e) => {
        if (!Array.from(e.dataTransfer.types).includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={onDragLeave}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        take(e.dataTransfer.files);
      }}
    >
      <IconUpload size={36} />
      <div className="dropzone-title">{t('bank.drop')}</div>
      <div className="dropzone-sub">{t('bank.dropSub')}</div>
      <Button variant="primary" onClick={() => input.current?.click()} data-testid="statement-pick">
        {t('bank.pick')}
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        accept=".xml,.camt,.052,.053,.054,application/xml,text/xml"
        className="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="statement-file"
        onChange={(e) => {
          take(e.target.files);
          e.target.value = '';
        }}
      />
      <p className="dropzone-hint">
        {t('bank.dropHint')}
        {account && (
          <>
            {' '}
            <span className="muted">
              {t('bank.account')}: <span className="mono">{formatIban(account)}</span>
            </span>
          </>
        )}
      </p>
    </div>
  );
}

/** The refIds of the payments an import settled (the import names them by id). */
function useRefIds(ids: string[]): Record<string, string> {
  const [refIds, setRefIds] = useState<Record<string, string>>({});
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    for (const id of ids.slice(0, 20)) {
      api.get<Payment>(`/api/v1/payments/${encodeURIComponent(id)}`).then(
        (p) => live && setRefIds((r) => ({ ...r, [id]: p.refId })),
        () => {},
      );
    }
    return () => {
      live = false;
    };
  }, [key]);
  return refIds;
}

function ImportResult({ entry }: { entry: ImportEntry }) {
  const { t } = useTranslation();
  const refIds = useRefIds(entry.result?.matched.map((m) => m.paymentId) ?? []);
  if (entry.state === 'importing') {
    return (
      <div className="import-result is-busy" data-state="importing">
        <Spinner /> <span>{t('bank.importing', { name: entry.name })}</span>
      </div>
    );
  }
  if (entry.state === 'error') {
    return (
      <div className="import-result is-error" role="alert" data-state="error" data-testid="import-error">
        <IconAlert size={22} />
        <div>
          <div className="import-title">{t('bank.errorTitle', { name: entry.name })}</div>
          <div>{entry.error?.message}</div>
          {entry.error?.detail && <div className="import-detail mono small">{entry.error.detail}</div>}
          <div className="muted small">{t('bank.nothingChanged')}</div>
        </div>
      </div>
    );
  }
  const r = entry.result!;
  return (
    <div className="import-result is-done" data-state="done" data-testid="import-result" data-kind={r.kind}>
      <IconCheck size={22} />
      <div className="import-body">
        <div className="import-title">
          {t('bank.resultTitle', { name: entry.name, kind: r.kind })} <TestBadge livemode={r.livemode} />
        </div>
        <div className="import-meta muted small">
          {r.messageId && (
            <span>
              {t('bank.messageId')}: <span className="mono">{r.messageId}</span>
            </span>
          )}
          {r.account && (
            <span>
              {t('bank.account')}: <span className="mono">{formatIban(r.account)}</span>
            </span>
          )}
        </div>
        <ImportCounts r={r} />
        {r.warnings && r.warnings.length > 0 && (
          <ul className="import-warnings small">
            {r.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        )}
        {r.matched.length > 0 && (
          <div className="import-list">
            <div className="import-list-title">{t('bank.matchedList')}</div>
            <ul>
              {r.matched.map((m) => (
                <li key={m.creditId} data-payment-id={m.paymentId}>
                  <Money amount={m.amount} currency={CURRENCY} /> → <AppLink to={`/payments/${m.paymentId}`} className="mono">{refIds[m.paymentId] ?? m.paymentId}</AppLink>
                </li>
              ))}
            </ul>
          </div>
        )}
        {r.unmatched.length > 0 && (
          <div className="import-list">
            <div className="import-list-title">{t('bank.unmatchedList')}</div>
            <ul>
              {r.unmatched.map((u) => (
                <li key={u.creditId}>
                  <Money amount={u.amount} currency={CURRENCY} /> · <ReasonChip reason={u.reason} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}

function ImportCounts({ r }: { r: StatementImport }) {
  const { t } = useTranslation();
  const cells: [string, number, string][] = [
    [t('bank.credits'), countOf(r.credits), 'credits'],
    [t('bank.matched'), r.matched.length, 'matched'],
    [t('bank.unmatched'), r.unmatched.length, 'unmatched'],
    [t('bank.duplicates'), countOf(r.duplicates), 'duplicates'],
  ];
  return (
    <dl className="import-counts">
      {cells.map(([label, n, key]) => (
        <div key={key} className={`count-${key} ${n > 0 ? 'is-some' : ''}`} data-count={key} data-value={n}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

function ReasonChip({ reason }: { reason: string | null | undefined }) {
  const { t } = useTranslation();
  if (!reason) return null;
  return (
    <span className="chip chip-amber" data-reason={reason}>
      {t(`bank.reason.${reason}`, { defaultValue: reason })}
    </span>
  );
}

function UnmatchedTable({ credits, onAssign }: { credits: BankCredit[]; onAssign: (c: BankCredit) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="unmatched-table">
        <thead>
          <tr>
            <th>{t('bank.col.date')}</th>
            <th className="num">{t('bank.col.amount')}</th>
            <th>{t('bank.col.from')}</th>
            <th>{t('bank.col.reference')}</th>
            <th>{t('bank.col.reason')}</th>
            <th>
              <span className="sr-only">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {credits.map((c) => (
            <tr key={c.id} data-credit-id={c.id}>
              <td className="nowrap">{formatDay(c.bookedOn, i18n.language) || '—'}</td>
              <td className="num">
                <Money amount={c.amount} currency={c.currency ?? CURRENCY} /> <TestBadge livemode={c.livemode} />
              </td>
              <td>
                {c.debtorName ?? <span className="muted">{t('bank.unknownDebtor')}</span>}
                {c.debtorIban && <div className="mono muted small">{formatIban(c.debtorIban)}</div>}
              </td>
              <td className="break small">{c.reference ?? c.remittance ?? <span className="muted">{t('bank.noRemittance')}</span>}</td>
              <td>
                <ReasonChip reason={c.reason} />
              </td>
              <td className="nowrap">
                <Button size="sm" onClick={() => onAssign(c)} data-testid="assign-credit">
                  {t('bank.assign')}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HistoryTable({ imports }: { imports: BankStatement[] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="statement-history">
        <thead>
          <tr>
            <th>{t('bank.col.imported')}</th>
            <th>{t('bank.col.file')}</th>
            <th className="num">{t('bank.credits')}</th>
            <th className="num">{t('bank.matched')}</th>
            <th className="num">{t('bank.unmatched')}</th>
            <th className="num">{t('bank.duplicates')}</th>
          </tr>
        </thead>
        <tbody>
          {imports.map((s) => (
            <tr key={s.id} data-statement-id={s.id}>
              <td className="nowrap">{formatDateTime(s.importedAt, i18n.language)}</td>
              <td>
                <strong>{s.kind}</strong> <TestBadge livemode={s.livemode} /> <span className="mono small break">{s.messageId ?? s.id}</span>
                {s.account && <div className="mono muted small">{formatIban(s.account)}</div>}
              </td>
              <td className="num">{s.credits}</td>
              <td className="num">{s.matched}</td>
              <td className="num">{s.unmatched}</td>
              <td className="num">{s.duplicates}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AssignDialog({ credit, onClose, onDone }: { credit: BankCredit; onClose: () => void; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [payments, setPayments] = useState<Payment[] | null>(null);
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  useEffect(() => {
    api.get<Page<Payment>>('/api/v1/payments', { status: 'pending', limit: 200 }).then(
      (r) => setPayments(r.data),
      (err: unknown) => {
        setPayments([]);
        setErrors([errorText(err)]);
      },
    );
  }, []);

  const shown = filterTransferPayments(payments ?? [], query);
  const amount = formatMoney(credit.amount, credit.currency ?? CURRENCY, locale);

  const assign = async (): Promise<void> => {
    if (!picked) {
      setErrors([t('bank.pickFirst')]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      await api.post(`/api/v1/bank-credits/${encodeURIComponent(credit.id)}/assign`, { paymentId: picked });
      const p = payments?.find((x) => x.id === picked);
      toast(t('bank.assigned', { refId: p?.refId ?? picked }), 'success');
      onDone();
    } catch (err) {
      setErrors([errorText(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open
      title={t('bank.assignTitle', { amount })}
      body={t('bank.assignBody', { debtor: credit.debtorName ?? t('bank.unknownDebtor'), date: formatDay(credit.bookedOn, locale) || '—' })}
      confirmLabel={t('bank.assignConfirm')}
      busy={busy || !picked}
      onClose={onClose}
      onConfirm={() => void assign()}
      className="assign-dialog"
      testId="assign-dialog"
    >
      <label className="search-box assign-search">
        <IconSearch size={18} />
        <input
          type="search"
          value={query}
          autoFocus
          placeholder={t('bank.searchPayment')}
          aria-label={t('bank.searchPayment')}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="assign-search"
        />
      </label>
      {payments === null ? (
        <Spinner />
      ) : shown.length === 0 ? (
        <p className="muted">{t('bank.noPending')}</p>
      ) : (
        <ul className="pick-list" role="radiogroup" aria-label={t('bank.searchPayment')}>
          {shown.slice(0, 50).map((p) => (
            <li key={p.id}>
              <label className={`pick-item ${picked === p.id ? 'is-picked' : ''}`} data-payment-id={p.id}>
                <input type="radio" name="assign-payment" value={p.id} checked={picked === p.id} onChange={() => setPicked(p.id)} />
                <span className="pick-main">
                  <span className="mono">{p.refId}</span>
                  {p.bankTransfer && <span className="mono muted small">{formatReference(p.bankTransfer.creditorReference)}</span>}
                </span>
                <span className="pick-amount">
                  <Money amount={p.amount} currency={p.currency} />
                  <span className="muted small">{formatDateTime(p.createdAt, locale)}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <ErrorBox messages={errors} />
    </ConfirmDialog>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, bridge } from '../services';
import type { Link } from '../api/types';
import { formatMoney } from '../lib/amount';
import { displayText } from '../i18n/display';
import { navigate } from '../lib/router';
import { Button, ErrorBox, Spinner } from '../components/ui';
import { Qr } from '../components/Qr';
import { IconPrint } from '../components/icons';
import { errorText } from '../lib/error-text';

/**
 * A "scan to pay" poster for a reusable link: A4, big QR, the shop's and the link's name, the
 * amount or "any amount", in the link's language. The toolbar is not printed.
 */
export function PrintPosterScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const merchant = useStore(appStore, (s) => s.merchant);
  const [link, setLink] = useState<Link | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.classList.add('print-root');
    api.get<Link>(`/api/v1/links/${encodeURIComponent(id)}`).then(setLink, (err: unknown) => setError(errorText(err)));
    return () => document.documentElement.classList.remove('print-root');
  }, [id]);

  if (error) return <ErrorBox messages={[error]} />;
  if (!link) return <Spinner />;
  const locale = link.locale;
  const print = (): void => {
    if (bridge?.print) void bridge.print();
    else window.print();
  };

  return (
    <main className="poster-page">
      <div className="poster-toolbar no-print">
        <Button onClick={() => navigate(`/links/${link.id}`)}>← {t('common.back')}</Button>
        <span className="muted">{t('poster.hint')}</span>
        <Button variant="primary" icon={<IconPrint />} onClick={print} data-testid="poster-print">
          {t('poster.print')}
        </Button>
      </div>
      <article className="poster" data-testid="poster">
        <h1 className="poster-merchant">{merchant?.merchantName}</h1>
        <div className="poster-qr">
          <Qr text={link.url} label={displayText(locale, 'scanToPay')} />
        </div>
        <div className="poster-scan">{displayText(locale, 'scanToPay')}</div>
        <div className="poster-name">{link.name}</div>
        <div className="poster-amount">{link.amount ? formatMoney(link.amount, link.currency, locale) : displayText(locale, 'anyAmount')}</div>
        {link.description && <div className="poster-desc">{link.description}</div>}
        <div className="poster-url">{link.url}</div>
      </article>
    </main>
  );
}

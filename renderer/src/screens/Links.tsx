import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, feedStore, useCan } from '../services';
import { createListStore } from '../stores/list';
import { LINK_STATUSES, type Link, type LinkStatus, type Page } from '../api/types';
import { dayBoundary, formatDateTime } from '../lib/format';
import { navigate } from '../lib/router';
import { AppLink, Button, LinkStatusChip, Money, PageHeader, TestBadge } from '../components/ui';
import { IconPlus, IconSearch } from '../components/icons';
import { ListTable } from '../components/ListTable';

export interface LinkFilters {
  q: string;
  status: LinkStatus | '';
  pointOfSaleId: string;
  createdFrom: string;
  createdTo: string;
}

export const linksList = createListStore<Link, LinkFilters>({
  key: (l) => l.id,
  initialFilters: { q: '', status: '', pointOfSaleId: '', createdFrom: '', createdTo: '' },
  fetchPage: (f, cursor, limit) =>
    api.get<Page<Link>>('/api/v1/links', {
      limit,
      cursor,
      q: f.q.trim(),
      status: f.status,
      pointOfSaleId: f.pointOfSaleId,
      createdAfter: dayBoundary(f.createdFrom, false),
      createdBefore: dayBoundary(f.createdTo, true),
    }),
});

export function LinksScreen() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const list = useStore(linksList);
  const pointsOfSale = useStore(appStore, (s) => s.pointsOfSale);
  const [q, setQ] = useState(list.filters.q);

  useEffect(() => {
    void linksList.getState().load();
    // Rows follow their links live (status chips, usage).
    return feedStore.getState().subscribe((events) => {
      let created = false;
      for (const e of events) {
        if (!e.type.startsWith('link.')) continue;
        if (e.type === 'link.created') created = true;
        else linksList.getState().replace(e.data as Link);
      }
      if (created && linksList.getState().page === 0) void linksList.getState().load();
    });
  }, []);

  useEffect(() => {
    if (q === linksList.getState().filters.q) return;
    const timer = setTimeout(() => void linksList.getState().setFilters({ q }), 250);
    return () => clearTimeout(timer);
  }, [q]);

  const f = list.filters;
  const set = (patch: Partial<LinkFilters>) => void linksList.getState().setFilters(patch);
  const filtered = Boolean(f.q || f.status || f.pointOfSaleId || f.createdFrom || f.createdTo);

  return (
    <div className="page">
      <PageHeader
        title={t('links.title')}
        subtitle={t('links.subtitle')}
        actions={
          can('links.manage') && (
            <Button variant="primary" size="lg" icon={<IconPlus />} onClick={() => navigate('/links/new')} data-testid="new-link">
              {t('links.new')}
            </Button>
          )
        }
      />
      <div className="filters" role="search">
        <label className="search-box">
          <IconSearch />
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('links.search')} aria-label={t('links.search')} />
        </label>
        <select value={f.status} onChange={(e) => set({ status: e.target.value as LinkStatus | '' })} aria-label={t('links.filterStatus')}>
          <option value="">{t('links.allStatuses')}</option>
          {LINK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`linkStatus.${s}`)}
            </option>
          ))}
        </select>
        {pointsOfSale.length > 1 && (
          <select value={f.pointOfSaleId} onChange={(e) => set({ pointOfSaleId: e.target.value })} aria-label={t('links.filterPos')}>
            <option value="">{t('links.allPos')}</option>
            {pointsOfSale.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
        <label className="date-filter">
          <span>{t('common.from')}</span>
          <input type="date" value={f.createdFrom} onChange={(e) => set({ createdFrom: e.target.value })} aria-label={t('links.createdFrom')} />
        </label>
        <label className="date-filter">
          <span>{t('common.to')}</span>
          <input type="date" value={f.createdTo} onChange={(e) => set({ createdTo: e.target.value })} aria-label={t('links.createdTo')} />
        </label>
        {filtered && (
          <Button
            variant="ghost"
            onClick={() => {
              setQ('');
              set({ q: '', status: '', pointOfSaleId: '', createdFrom: '', createdTo: '' });
            }}
          >
            {t('common.resetFilters')}
          </Button>
        )}
      </div>
      <ListTable
        list={list}
        store={linksList}
        filtered={Boolean(filtered)}
        empty={{ title: t('links.empty'), noMatch: t('links.noMatch'), hint: t('links.emptyHint') }}
        testId="links-table"
        head={
          <tr>
            <th>{t('links.col.name')}</th>
            <th className="num">{t('links.col.amount')}</th>
            <th>{t('links.col.status')}</th>
            <th className="num">{t('links.col.used')}</th>
            <th>{t('links.col.created')}</th>
            <th>{t('links.col.expires')}</th>
          </tr>
        
        }
      >
        {list.items.map((l) => (
          <tr key={l.id} className="clickable" onClick={() => navigate(`/links/${l.id}`)} data-link-id={l.id}>
            <td>
              <AppLink to={`/links/${l.id}`} className="row-title">
                {l.name}
              </AppLink>
              <TestBadge livemode={l.livemode} />
              <div className="row-sub">
                <span className="mono">{l.refIdBase}</span> · {t(`links.reuse.${l.reuse}`)}
              </div>
            </td>
            <td className="num">{l.amount ? <Money amount={l.amount} currency={l.currency} /> : <span className="muted">{t('links.openAmount')}</span>}</td>
            <td>
              <LinkStatusChip status={l.status} />
            </td>
            <td className="num">
              {l.usage.count}
              {l.maxUses !== null && <span className="muted"> / {l.maxUses}</span>}
            </td>
            <td className="nowrap">{formatDateTime(l.createdAt, i18n.language)}</td>
            <td className="nowrap">{l.expiresAt ? formatDateTime(l.expiresAt, i18n.language) : <span className="muted">{t('links.never')}</span>}</td>
          </tr>
        ))}
      
      </ListTable>
    </div>
  );
}

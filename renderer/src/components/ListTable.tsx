import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoreApi } from 'zustand/vanilla';
import type { ListState } from '../stores/list';
import { Button, Empty, ErrorBox, Spinner } from './ui';
import { IconChevronLeft, IconChevronRight } from './icons';

interface ListTableProps<T, F> {
  /** The list's current state (from useStore) and its store (for paging). */
  list: ListState<T, F>;
  store: StoreApi<ListState<T, F>>;
  /** Whether filters are set: picks the "nothing matches" text over the "nothing yet" one. */
  filtered: boolean;
  empty: { title: string; noMatch: string; hint?: ReactNode };
  testId: string;
  head: ReactNode;
  children: ReactNode;
}

/** The frame every list screen shares: its error, a spinner or an empty state, the table, paging. */
export function ListTable<T, F>({ list, store, filtered, empty, testId, head, children }: ListTableProps<T, F>) {
  return (
    <>
      <ErrorBox messages={list.error ? [list.error] : []} />
      {list.items.length === 0 ? (
        list.loading ? (
          <div className="center-pad">
            <Spinner />
          </div>
        ) : (
          <Empty title={filtered ? empty.noMatch : empty.title}>{!filtered && empty.hint}</Empty>
        )
      ) : (
        <div className={`table-wrap ${list.loading ? 'is-loading' : ''}`}>
          <table className="table" data-testid={testId}>
            <thead>{head}</thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} hasNext={Boolean(list.nextCursor)} onPrev={() => void store.getState().prev()} onNext={() => void store.getState().next()} />
    </>
  );
}

export function Pager({ page, hasNext, onPrev, onNext }: { page: number; hasNext: boolean; onPrev: () => void; onNext: () => void }) {
  const { t } = useTranslation();
  if (page === 0 && !hasNext) return null;
  return (
    <div className="pager">
      <Button icon={<IconChevronLeft />} disabled={page === 0} onClick={onPrev} aria-label={t('common.prev')}>
        {t('common.prev')}
      </Button>
      <span className="muted">{t('common.page', { page: page + 1 })}</span>
      <Button disabled={!hasNext} onClick={onNext} aria-label={t('common.next')}>
        {t('common.next')} <IconChevronRight />
      </Button>
    </div>
  );
}

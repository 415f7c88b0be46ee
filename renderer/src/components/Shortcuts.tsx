import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './ui';

/** The help overlay ("?"): every shortcut of the staff UI. Escape, the button or the backdrop close it. */
export function ShortcutsDialog({ open, onClose, screens }: { open: boolean; onClose: () => void; screens: { key: string; label: string }[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const row = (keys: string[], label: string) => (
    <tr key={`${keys.join('+')}-${label}`}>
      <th scope="row">
        {keys.map((k, i) => (
          <span key={k}>
            {i > 0 && ' + '}
            <kbd>{k}</kbd>
          </span>
        ))}
      </th>
      <td>{label}</td>
    </tr>
  );

  return (
    <dialog ref={ref} className="dialog dialog-wide shortcuts" aria-labelledby="shortcuts-title" onClose={onClose} onClick={(e) => e.target === ref.current && onClose()} data-testid="shortcuts">
      {open && (
        <>
          <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
          <p className="dialog-body">{t('shortcuts.intro')}</p>
          <table className="shortcut-table">
            <tbody>
              {screens.map((s, i) => row(['Alt', String(i + 1)], t('shortcuts.goTo', { screen: s.label })))}
              {row(['/'], t('shortcuts.search'))}
              {row(['?'], t('shortcuts.help'))}
            </tbody>
          </table>
          <h3 className="shortcut-group">{t('shortcuts.chargeTitle')}</h3>
          <table className="shortcut-table">
            <tbody>
              {row([t('shortcuts.keyDigits')], t('shortcuts.digits'))}
              {row([t('shortcuts.keyBackspace')], t('shortcuts.backspace'))}
              {row([t('shortcuts.keyEscape')], t('shortcuts.escape'))}
              {row([t('shortcuts.keyEnter')], t('shortcuts.enter'))}
              {row([t('shortcuts.keyTab')], t('shortcuts.tab'))}
            </tbody>
          </table>
          <div className="dialog-actions">
            <Button variant="primary" onClick={onClose} autoFocus>
              {t('shortcuts.close')}
            </Button>
          </div>
        </>
      )}
    </dialog>
  );
}

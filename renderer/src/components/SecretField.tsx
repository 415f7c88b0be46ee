import { useTranslation } from 'react-i18next';
import type { SecretInput } from '../lib/messaging';
import { Button, Field } from './ui';

/**
 * A write-only setting (SMTP password, the gateway's Authorization value). The server only says
 * whether one is set: then it reads "set" with Change and Remove; changing shows an empty input
 * (the old value is never sent back), removing is undone until saved.
 */
export function SecretField({
  label,
  name,
  isSet,
  value,
  onChange,
  errors,
  hint,
  autoComplete = 'new-password',
}: {
  label: string;
  name: string;
  isSet: boolean;
  value: SecretInput;
  onChange: (v: SecretInput) => void;
  errors?: string[] | undefined;
  hint?: string;
  autoComplete?: string;
}) {
  const { t } = useTranslation();
  const editing = value.mode === 'set' || (!isSet && value.mode === 'keep');
  return (
    <Field label={label} name={name} errors={errors} hint={editing ? hint : undefined}>
      {(p) =>
        editing ? (
          <div className="secret-input">
            <input
              {...p}
              type="password"
              autoComplete={autoComplete}
              placeholder={isSet ? t('secretField.newValue') : t('secretField.notSet')}
              value={value.value}
              onChange={(e) => onChange({ mode: 'set', value: e.target.value })}
              autoFocus={isSet}
            />
            {isSet && (
              <Button variant="ghost" onClick={() => onChange({ mode: 'keep', value: '' })}>
                {t('secretField.keep')}
              </Button>
            )}
          </div>
        ) : (
          <div className="secret-state" data-state={value.mode === 'clear' ? 'clear' : 'set'}>
            {value.mode === 'clear' ? (
              <>
                <span className="muted">{t('secretField.willClear')}</span>
                <Button size="sm" variant="ghost" onClick={() => onChange({ mode: 'keep', value: '' })}>
                  {t('secretField.undo')}
                </Button>
              </>
            ) : (
              <>
                <span className="secret-dots" aria-hidden="true">
                  ••••••••
                </span>
                <span className="chip chip-green">{t('secretField.set')}</span>
                <span className="secret-actions">
                  <Button size="sm" onClick={() => onChange({ mode: 'set', value: '' })} data-testid={`${name}-change`}>
                    {t('secretField.change')}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => onChange({ mode: 'clear', value: '' })}>
                    {t('common.remove')}
                  </Button>
                </span>
              </>
            )}
          </div>
        )
      }
    </Field>
  );
}

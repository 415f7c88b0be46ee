import { useTranslation } from 'react-i18next';
import { EVENT_FAMILIES, patternCovers, togglePattern, unknownPatterns } from '../lib/webhooks';
import { Segmented } from './ui';
import { IconX } from './icons';

/**
 * Which events an endpoint gets: everything ("*"), or a choice per family — the family's
 * wildcard ("link.*") or single types. Patterns set through the API that the picker does not
 * know stay visible, and removable.
 */
export function EventPicker({ value, onChange, invalid }: { value: string[]; onChange: (patterns: string[]) => void; invalid?: boolean }) {
  const { t } = useTranslation();
  const all = value.includes('*');
  const extra = unknownPatterns(value);

  return (
    <div className={`event-picker ${invalid ? 'is-invalid' : ''}`} data-testid="event-picker">
      <Segmented
        name="events-mode"
        value={all ? 'all' : 'choose'}
        onChange={(mode) => onChange(mode === 'all' ? ['*'] : ['payment.*'])}
        options={[
          { value: 'all', label: t('webhooks.eventsAll') },
          { value: 'choose', label: t('webhooks.eventsChoose') },
        ]}
      />
      {!all && (
        <div className="event-families">
          {EVENT_FAMILIES.map(({ family, types }) => {
            const wildcard = `${family}.*`;
            const familyOn = value.includes(wildcard);
            return (
              <div className="event-family" key={family} data-family={family}>
                <div className="event-family-name">{t(`webhooks.family.${family}`)}</div>
                <div className="event-chips">
                  <Toggle pattern={wildcard} label={t('webhooks.familyAll')} on={familyOn} onClick={() => onChange(togglePattern(value, wildcard))} strong />
                  {types.map((type) => {
                    const pattern = `${family}.${type}`;
                    const covered = !value.includes(pattern) && patternCovers(value, pattern);
                    return (
                      <Toggle
                        key={type}
                        pattern={pattern}
                        label={type}
                        title={t(`events.${pattern}`, { defaultValue: pattern })}
                        on={value.includes(pattern) || covered}
                        disabled={covered}
                        onClick={() => onChange(togglePattern(value, pattern))}
                      />
                    );
                  })}
                </div>
              </div>
            );
          })}
          {extra.length > 0 && (
            <div className="event-family">
              <div className="event-family-name">{t('webhooks.family.other')}</div>
              <div className="event-chips">
                {extra.map((p) => (
                  <button type="button" key={p} className="event-chip on" onClick={() => onChange(value.filter((x) => x !== p))} aria-label={`${t('common.remove')} ${p}`}>
                    <span className="mono">{p}</span> <IconX size={14} />
                  </button>
                ))}
              </div>
            </div>
          )}
        </div>
      )}
      <div className="event-summary muted small" data-testid="event-summary">
        {value.length === 0 ? t('webhooks.eventsNone') : <EventPatterns patterns={value} />}
      </div>
    </div>
  );
}

function Toggle({ pattern, label, on, onClick, disabled, strong, title }: { pattern: string; label: string; on: boolean; onClick: () => void; disabled?: boolean; strong?: boolean; title?: string }) {
  return (
    <button
      type="button"
      className={`event-chip ${on ? 'on' : ''} ${strong ? 'strong' : ''}`}
      aria-pressed={on}
      disabled={disabled}
      onClick={onClick}
      data-pattern={pattern}
      title={title ?? pattern}
    >
      {label}
    </button>
  );
}

/** An endpoint's patterns as small mono chips ("*" reads "all events"). */
export function EventPatterns({ patterns, max }: { patterns: string[]; max?: number }) {
  const { t } = useTranslation();
  const shown = max === undefined ? patterns : patterns.slice(0, max);
  return (
    <span className="patterns">
      {shown.map((p) => (
        <span key={p} className="pattern mono">
          {p === '*' ? t('webhooks.allEvents') : p}
        </span>
      ))}
      {shown.length < patterns.length && <span className="muted small">+{patterns.length - shown.length}</span>}
    </span>
  );
}

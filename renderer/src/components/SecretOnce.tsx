import { useTranslation } from 'react-i18next';
import type { RevealedSecrets } from '../lib/webhooks';
import { copyText } from '../lib/clipboard';
import { toast } from '../stores/toast';
import { Button } from './ui';
import { IconCopy, IconKey } from './icons';

/**
 * A secret the server shows exactly once (a new endpoint's signing secret, a rotated one, an
 * encryption key): big, selectable, with a copy button and a plain warning. It stays until staff
 * say they stored it; it is never written anywhere.
 */
export function SecretOnce({ secrets, onDone }: { secrets: RevealedSecrets; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="secret-once" role="alert" data-testid="secret-once">
      <div className="secret-once-head">
        <IconKey size={22} />
        <div>
          <h2>{t(`webhooks.secretTitle.${secrets.reason}`)}</h2>
          <p>{t('webhooks.secretOnce')}</p>
        </div>
      </div>
      {secrets.secret && <SecretValue label={t('webhooks.signingSecret')} value={secrets.secret} testId="secret-value" />}
      {secrets.encryptionKey && <SecretValue label={t('webhooks.encryptionKey')} value={secrets.encryptionKey} testId="encryption-key-value" />}
      {secrets.reason === 'rotated' && <p className="secret-once-note">{t('webhooks.rotatedNote')}</p>}
      <div className="secret-once-actions">
        <Button variant="primary" onClick={onDone} data-testid="secret-done">
          {t('webhooks.secretDone')}
        </Button>
      </div>
    </section>
  );
}

function SecretValue({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="secret-row">
      <div className="secret-label">{label}</div>
      <div className="secret-box">
        <code className="secret-value" data-testid={testId}>
          {value}
        </code>
        <Button size="sm" icon={<IconCopy size={16} />} onClick={() => void copyText(value).then((ok) => toast(ok ? t('linkDetail.copied') : t('linkDetail.copyFailed'), ok ? 'success' : 'error'))}>
          {t('webhooks.copy')}
        </Button>
      </div>
    </div>
  );
}

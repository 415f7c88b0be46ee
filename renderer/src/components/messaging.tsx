import { useTranslation } from 'react-i18next';
import type { Channel, EmailSettings, MerchantSettings, SmsSettings, Transport } from '../api/types';
import { IconMail, IconSms } from './icons';

/** "Email" / "SMS" with its icon. */
export function ChannelLabel({ channel, withText = true }: { channel: Channel; withText?: boolean }) {
  const { t } = useTranslation();
  const Icon = channel === 'email' ? IconMail : IconSms;
  return (
    <span className="channel" data-channel={channel} title={t(`channels.${channel}`)}>
      <Icon size={18} />
      {withText && <span>{t(`channels.${channel}`)}</span>}
    </span>
  );
}

/** How a message left the machine: SMTP, the SMS gateway, or the local outbox folder. */
export function TransportLabel({ transport }: { transport: Transport | null }) {
  const { t } = useTranslation();
  if (!transport) return <span className="muted">—</span>;
  return (
    <span className={`transport transport-${transport}`} data-transport={transport}>
      {t(`transports.${transport}`)}
    </span>
  );
}

export function emailSettingsOf(merchant: MerchantSettings | null): EmailSettings | undefined {
  return merchant?.email as EmailSettings | undefined;
}

export function smsSettingsOf(merchant: MerchantSettings | null): SmsSettings | undefined {
  return merchant?.sms as SmsSettings | undefined;
}

/** Where a channel's messages go right now, in one sentence (settings, the send dialog). */
export function RouteNote({ channel, merchant }: { channel: Channel; merchant: MerchantSettings | null }) {
  const { t } = useTranslation();
  const email = emailSettingsOf(merchant);
  const sms = smsSettingsOf(merchant);
  let text: string;
  let local: boolean;
  if (channel === 'email') {
    local = email?.transport !== 'smtp';
    text = local
      ? t('route.emailLocal')
      : email?.overriddenByEnvironment
        ? t('route.emailEnv')
        : t('route.emailSmtp', { server: `${email?.host ?? ''}${email?.port ? `:${email.port}` : ''}` });
  } else {
    local = sms?.transport !== 'sms-gateway';
    text = local ? t('route.smsLocal') : sms?.overriddenByEnvironment ? t('route.smsEnv') : t('route.smsGateway', { url: hostOf(sms?.gatewayUrl ?? '') });
  }
  return (
    <div className={`route-note ${local ? 'route-local' : 'route-live'}`} data-testid={`route-${channel}`} data-route={local ? 'local-outbox' : 'live'}>
      <ChannelLabel channel={channel} withText={false} />
      <span>{text}</span>
    </div>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

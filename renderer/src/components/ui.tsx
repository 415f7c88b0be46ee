import { useEffect, useId, useRef, type ButtonHTMLAttributes, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { toastStore } from '../stores/toast';
import { formatMoney } from '../lib/amount';
import { hrefFor, navigate } from '../lib/router';
import type { LinkStatus, NotificationStatus, PaymentStatus, WebhookDeliveryStatus, WebhookEndpointStatus } from '../api/types';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'success';

export function Button({
  variant = 'secondary',
  size = 'md',
  icon,
  children,
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'md' | 'lg' | 'xl'; icon?: ReactNode; ref?: Ref<HTMLButtonElement> }) {
  return (
    <button type="button" className={`btn btn-${variant} btn-${size} ${className ?? ''}`} {...rest}>
      {icon}
      {children !== undefined && <span>{children}</span>}
    </button>
  );
}

/** An in-app link: a real anchor (middle-click, copy address), navigating without a reload. */
export function AppLink({ to, children, className, ...rest }: { to: string; children: ReactNode; className?: string; 'aria-label'?: string; title?: string }) {
  return (
    <a
      href={hrefFor(to)}
      className={className}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
      {...rest}
    >
      {children}
    </a>
  );
}

const LINK_TONE: Record<LinkStatus, string> = {
  enabled: 'green',
  locked: 'blue',
  disabled: 'gray',
  consumed: 'violet',
  expired: 'amber',
  cancelled: 'red',
  usage_limit_reached: 'amber',
  amount_limit_reached: 'amber',
};

const PAYMENT_TONE: Record<PaymentStatus, string> = {
  pending: 'blue',
  succeeded: 'green',
  failed: 'red',
  abandoned: 'gray',
  cancelled: 'gray',
  partially_refunded: 'amber',
  refunded: 'amber',
};

const NOTIFICATION_TONE: Record<NotificationStatus, string> = {
  queued: 'amber',
  sending: 'blue',
  sent: 'green',
  delivered: 'green',
  failed: 'red',
};

const ENDPOINT_TONE: Record<WebhookEndpointStatus, string> = {
  healthy: 'green',
  failing: 'red',
  disabled: 'gray',
};

const DELIVERY_TONE: Record<WebhookDeliveryStatus, string> = {
  queued: 'amber',
  sending: 'blue',
  succeeded: 'green',
  failed: 'red',
};

/** A status as a coloured chip: `labels` is the i18n group (`linkStatus`, `paymentStatus`…). */
function StatusChip({ status, tones, labels, title }: { status: string; tones: Record<string, string>; labels: string; title?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <span className={`chip chip-${tones[status] ?? 'gray'}`} data-status={status} title={title}>
      {t(`${labels}.${status}`, { defaultValue: status })}
    </span>
  );
}

export function LinkStatusChip({ status }: { status: LinkStatus }) {
  return <StatusChip status={status} tones={LINK_TONE} labels="linkStatus" />;
}

export function PaymentStatusChip({ status }: { status: PaymentStatus }) {
  return <StatusChip status={status} tones={PAYMENT_TONE} labels="paymentStatus" />;
}

export function NotificationStatusChip({ status, title }: { status: NotificationStatus; title?: string }) {
  return <StatusChip status={status} tones={NOTIFICATION_TONE} labels="notificationStatus" title={title} />;
}

export function EndpointStatusChip({ status }: { status: WebhookEndpointStatus }) {
  return <StatusChip status={status} tones={ENDPOINT_TONE} labels="webhookStatus" />;
}

export function DeliveryStatusChip({ status }: { status: WebhookDeliveryStatus }) {
  return <StatusChip status={status} tones={DELIVERY_TONE} labels="deliveryStatus" />;
}

/** "TEST" on an object of test mode (`livemode: false`); nothing on live or shared ones. */
export function TestBadge({ livemode, className }: { livemode: boolean | null | undefined; className?: string }) {
  const { t } = useTranslation();
  if (livemode !== false) return null;
  return (
    <span className={`test-badge ${className ?? ''}`} title={t('mode.badgeTitle')} data-testid="test-badge">
      {t('mode.badge')}
    </span>
  );
}

export function Money({ amount, currency, className }: { amount: string | null | undefined; currency: string; className?: string }) {
  const { i18n } = useTranslation();
  return <span className={`money ${className ?? ''}`}>{formatMoney(amount, currency, i18n.language)}</span>;
}

/** A labelled form control with its hint and the server's errors for it right below. */
export function Field({
  label,
  hint,
  errors,
  children,
  name,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[] | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined; name: string | undefined }) => ReactNode;
  name?: string;
  className?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hasError = Boolean(errors && errors.length > 0);
  return (
    <div className={`field ${hasError ? 'field-invalid' : ''} ${className ?? ''}`} data-field={name}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ id, 'aria-invalid': hasError, 'aria-describedby': hasError ? errorId : undefined, name })}
      {hint && !hasError && <div className="field-hint">{hint}</div>}
      {hasError && (
        <div className="field-error" id={errorId} role="alert" data-error-for={name}>
          {errors!.map((e, i) => (
            <div key={i}>{e}</div>
          ))}
        </div>
      )}
    </div>
  );
}

export function PageHeader({ title, subtitle, actions, back }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; back?: { to: string; label: string } }) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        {back && (
          <AppLink to={back.to} className="back-link">
            ← {back.label}
          </AppLink>
        )}
        <h1>{title}</h1>
        {subtitle && <div className="page-subtitle">{subtitle}</div>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Card({ title, children, actions, className }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && (
        <div className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function Empty({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-title">{title}</div>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner" role="status" aria-label={label}>
      <span />
    </span>
  );
}

export function ErrorBox({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="error-box" role="alert">
      {messages.map((m, i) => (
        <div key={i}>{m}</div>
      ))}
    </div>
  );
}

/** A modal confirmation (cancel a link, refund). Escape or the backdrop closes it. */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  variant = 'primary',
  onConfirm,
  onClose,
  busy,
  children,
  cancelLabel,
  className,
  testId,
}: {
  open: boolean;
  title: ReactNode;
  body?: ReactNode;
  confirmLabel: string;
  variant?: Variant;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  children?: ReactNode;
  cancelLabel?: string;
  className?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`dialog ${className ?? ''}`} aria-labelledby={titleId} onClose={onClose} onClick={(e) => e.target === ref.current && onClose()} data-testid={testId}>
      {open && (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            onConfirm();
          }}
        >
          <h2 id={titleId}>{title}</h2>
          {body && <div className="dialog-body">{body}</div>}
          {children}
          <div className="dialog-actions">
            <Button onClick={onClose}>{cancelLabel ?? t('common.back')}</Button>
            <Button type="submit" variant={variant} disabled={busy}>
              {confirmLabel}
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}

export function Toaster() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

/** A segmented control (e.g. fixed / open amount). */
export function Segmented<T extends string>({ value, options, onChange, name, disabled }: { value: T; options: { value: T; label: ReactNode }[]; onChange: (v: T) => void; name: string; disabled?: boolean }) {
  return (
    <div className="segmented" role="radiogroup" data-field={name}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          className={value === o.value ? 'active' : ''}
          disabled={disabled}
          onClick={() => onChange(o.value)}
          data-value={o.value}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

import { Notification, shell } from 'electron';
import type { PaymentNotice } from '../lib/payment-notifications';

/**
 * Glue: shows an OS notification. Notification objects are kept until they are closed or
 * clicked (otherwise they may be garbage-collected and the click lost).
 */
export class Notifier {
  private readonly live = new Set<Notification>();

  constructor(private readonly options: { icon: string; onClick(): void }) {}

  show(notice: Pick<PaymentNotice, 'title' | 'body' | 'silent'>): void {
    if (!Notification.isSupported()) {
      if (!notice.silent) shell.beep();
      return;
    }
    const n = new Notification({ title: notice.title, body: notice.body, silent: notice.silent, icon: this.options.icon });
    this.live.add(n);
    const forget = (): void => {
      this.live.delete(n);
    };
    n.on('click', () => {
      forget();
      this.options.onClick();
    });
    n.on('close', forget);
    n.on('failed', forget);
    n.show();
    // Linux notification servers decide about sound themselves: add the system beep so a payment is heard.
    if (!notice.silent && process.platform === 'linux') shell.beep();
  }
}

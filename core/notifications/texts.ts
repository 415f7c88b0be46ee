import type { Locale } from '../links/types';

/**
 * Texts of the payment-request email and SMS. English is the reference; the other locales are
 * typed against it, so a missing key is a compile error. `{{name}}` placeholders are filled by
 * `fill`; the HTML is escaped by React, never by hand.
 */
const en = {
  subject: '{{merchant}}: payment request for {{amount}}',
  subjectOpen: '{{merchant}}: payment request',
  subjectInfo: '{{merchant}}: {{name}}',
  preheader: '{{merchant}} asks you to pay {{amount}}. Pay securely online in a minute.',
  preheaderOpen: '{{merchant}} sent you a payment link. Pay securely online in a minute.',
  eyebrow: 'Payment request',
  intro: '{{merchant}} has sent you a payment request.',
  amountDue: 'Amount due',
  openAmount: 'Amount of your choice',
  minAmount: 'Minimum {{amount}}',
  reference: 'Reference',
  validUntil: 'Valid until',
  messageFrom: 'Message from {{merchant}}',
  payButton: 'Pay {{amount}}',
  payButtonOpen: 'Pay now',
  openButton: 'Open',
  qrHint: 'Or scan this code with your phone’s camera.',
  linkHint: 'Button not working? Copy this link into your browser:',
  footer: 'This payment request was sent by {{merchant}}. If you were not expecting it, you can safely ignore this email.',
  secure: 'You pay on a secure page of {{merchant}}.',
  smsCta: 'Pay here:',
  smsOpen: 'Open:',
  bankTitle: 'Or pay by bank transfer',
  bankHint: 'Scan this code with your banking app, or enter the details below. Please quote the reference so that your payment is recognised.',
  bankHolder: 'Account holder',
  bankIban: 'IBAN',
  bankBic: 'BIC',
  bankReference: 'Payment reference',
  bankAmount: 'Amount',
};

type Texts = typeof en;

const de: Texts = {
  subject: '{{merchant}}: Zahlungsaufforderung über {{amount}}',
  subjectOpen: '{{merchant}}: Zahlungsaufforderung',
  subjectInfo: '{{merchant}}: {{name}}',
  preheader: '{{merchant}} bittet Sie um {{amount}}. Bezahlen Sie bequem und sicher online.',
  preheaderOpen: '{{merchant}} hat Ihnen einen Zahlungslink gesendet. Bezahlen Sie bequem und sicher online.',
  eyebrow: 'Zahlungsaufforderung',
  intro: '{{merchant}} hat Ihnen eine Zahlungsaufforderung gesendet.',
  amountDue: 'Zu zahlender Betrag',
  openAmount: 'Betrag frei wählbar',
  minAmount: 'Mindestens {{amount}}',
  reference: 'Referenz',
  validUntil: 'Gültig bis',
  messageFrom: 'Nachricht von {{merchant}}',
  payButton: '{{amount}} bezahlen',
  payButtonOpen: 'Jetzt bezahlen',
  openButton: 'Öffnen',
  qrHint: 'Oder scannen Sie diesen Code mit der Kamera Ihres Smartphones.',
  linkHint: 'Die Schaltfläche funktioniert nicht? Kopieren Sie diesen Link in Ihren Browser:',
  footer: 'Diese Zahlungsaufforderung wurde von {{merchant}} gesendet. Falls Sie sie nicht erwartet haben, können Sie diese E-Mail einfach ignorieren.',
  secure: 'Sie bezahlen auf einer sicheren Seite von {{merchant}}.',
  smsCta: 'Jetzt bezahlen:',
  smsOpen: 'Öffnen:',
  bankTitle: 'Oder per Überweisung bezahlen',
  bankHint: 'Scannen Sie den Code mit Ihrer Banking-App oder geben Sie die Daten unten ein. Bitte geben Sie die Referenz an, damit Ihre Zahlung zugeordnet werden kann.',
  bankHolder: 'Kontoinhaber',
  bankIban: 'IBAN',
  bankBic: 'BIC',
  bankReference: 'Zahlungsreferenz',
  bankAmount: 'Betrag',
};

const fr: Texts = {
  subject: '{{merchant}} : demande de paiement de {{amount}}',
  subjectOpen: '{{merchant}} : demande de paiement',
  subjectInfo: '{{merchant}} : {{name}}',
  preheader: '{{merchant}} vous demande de payer {{amount}}. Payez en ligne en toute sécurité.',
  preheaderOpen: '{{merchant}} vous a envoyé un lien de paiement. Payez en ligne en toute sécurité.',
  eyebrow: 'Demande de paiement',
  intro: '{{merchant}} vous a envoyé une demande de paiement.',
  amountDue: 'Montant à payer',
  openAmount: 'Montant libre',
  minAmount: 'Minimum {{amount}}',
  reference: 'Référence',
  validUntil: 'Valable jusqu’au',
  messageFrom: 'Message de {{merchant}}',
  payButton: 'Payer {{amount}}',
  payButtonOpen: 'Payer maintenant',
  openButton: 'Ouvrir',
  qrHint: 'Ou scannez ce code avec l’appareil photo de votre téléphone.',
  linkHint: 'Le bouton ne fonctionne pas ? Copiez ce lien dans votre navigateur :',
  footer: 'Cette demande de paiement a été envoyée par {{merchant}}. Si vous ne l’attendiez pas, vous pouvez ignorer cet e-mail.',
  secure: 'Vous payez sur une page sécurisée de {{merchant}}.',
  smsCta: 'Payer ici :',
  smsOpen: 'Ouvrir :',
  bankTitle: 'Ou payez par virement',
  bankHint: 'Scannez ce code avec votre application bancaire ou saisissez les coordonnées ci-dessous. Indiquez la référence pour que votre paiement soit reconnu.',
  bankHolder: 'Titulaire du compte',
  bankIban: 'IBAN',
  bankBic: 'BIC',
  bankReference: 'Référence de paiement',
  bankAmount: 'Montant',
};

const nl: Texts = {
  subject: '{{merchant}}: betaalverzoek van {{amount}}',
  subjectOpen: '{{merchant}}: betaalverzoek',
  subjectInfo: '{{merchant}}: {{name}}',
  preheader: '{{merchant}} vraagt u {{amount}} te betalen. Betaal snel en veilig online.',
  preheaderOpen: '{{merchant}} heeft u een betaallink gestuurd. Betaal snel en veilig online.',
  eyebrow: 'Betaalverzoek',
  intro: '{{merchant}} heeft u een betaalverzoek gestuurd.',
  amountDue: 'Te betalen bedrag',
  openAmount: 'Bedrag naar keuze',
  minAmount: 'Minimaal {{amount}}',
  reference: 'Referentie',
  validUntil: 'Geldig tot',
  messageFrom: 'Bericht van {{merchant}}',
  payButton: 'Betaal {{amount}}',
  payButtonOpen: 'Nu betalen',
  openButton: 'Openen',
  qrHint: 'Of scan deze code met de camera van uw telefoon.',
  linkHint: 'Werkt de knop niet? Kopieer deze link naar uw browser:',
  footer: 'Dit betaalverzoek is verstuurd door {{merchant}}. Had u het niet verwacht? Dan kunt u deze e-mail negeren.',
  secure: 'U betaalt op een beveiligde pagina van {{merchant}}.',
  smsCta: 'Betaal hier:',
  smsOpen: 'Openen:',
  bankTitle: 'Of betaal per overschrijving',
  bankHint: 'Scan deze code met uw bankapp of vul de gegevens hieronder in. Vermeld de referentie, zodat uw betaling herkend wordt.',
  bankHolder: 'Rekeninghouder',
  bankIban: 'IBAN',
  bankBic: 'BIC',
  bankReference: 'Betalingskenmerk',
  bankAmount: 'Bedrag',
};

export const TEXTS: Record<Locale, Texts> = { en, de, fr, nl };
export type TextKey = keyof Texts;

/** Fills `{{name}}` placeholders (plain text; escaping is the renderer's job). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => values[key] ?? '');
}

export function t(locale: Locale, key: TextKey, values: Record<string, string> = {}): string {
  return fill(TEXTS[locale][key], values);
}

-- Receipts by email: a notification is either a link sent to someone ('link') or the receipt of a
-- succeeded payment ('receipt', with its payment). At most one receipt email per payment.
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT 'link' CHECK (kind IN ('link', 'receipt'));
ALTER TABLE notifications ADD COLUMN payment_id TEXT;
CREATE UNIQUE INDEX notifications_receipt ON notifications(payment_id) WHERE kind = 'receipt';

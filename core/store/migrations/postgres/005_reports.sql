-- Receipts, closing the day, exports, tips (issue #15).
--
-- Tips: a point of sale's tip settings (JSON {enabled, presets}; NULL = tips off), and the part of
-- a payment's amount that is a tip (limits count the amount without it).
ALTER TABLE points_of_sale ADD COLUMN tips TEXT;
ALTER TABLE payments ADD COLUMN tip_amount BIGINT NOT NULL DEFAULT 0;

-- Every refund as it happened (the payment keeps only the running total): day reports and the CSV
-- export count a refund on the day it was made. Refunds made before this migration are taken over
-- with the payment's last change as their time.
CREATE TABLE refund_ledger (
  seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  payment_id TEXT NOT NULL REFERENCES payments(id),
  livemode   INTEGER NOT NULL,
  amount     BIGINT NOT NULL CHECK (amount > 0),
  currency   TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX refund_ledger_time ON refund_ledger(livemode, created_at);
CREATE INDEX refund_ledger_payment ON refund_ledger(payment_id);
INSERT INTO refund_ledger (id, payment_id, livemode, amount, currency, created_at)
  SELECT 'rf_' || id, id, livemode, refunded_amount, currency, updated_at FROM payments WHERE refunded_amount > 0;

-- Day reports and the CSV export read succeeded payments by the time they completed.
CREATE INDEX payments_completed ON payments(livemode, completed_at);

-- Closed days: the report as it was when closed, numbered per mode, never changed again.
-- `scope` is the point of sale's id, or '' for the whole shop.
CREATE TABLE day_closings (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  livemode     INTEGER NOT NULL,
  scope        TEXT NOT NULL,
  date         TEXT NOT NULL,
  number       INTEGER NOT NULL,
  period_start BIGINT NOT NULL,
  period_end   BIGINT NOT NULL,
  report       TEXT NOT NULL,
  closed_at    BIGINT NOT NULL,
  UNIQUE (livemode, scope, date),
  UNIQUE (livemode, number)
);
CREATE FUNCTION day_closings_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a closed day is immutable';
END
$$;
CREATE TRIGGER day_closings_immutable BEFORE UPDATE OR DELETE ON day_closings
  FOR EACH ROW EXECUTE FUNCTION day_closings_immutable();

-- Receipts, closing the day, exports, tips (issue #15).
--
-- Tips: a point of sale's tip settings (JSON {enabled, presets}; NULL = tips off), and the part of
-- a payment's amount that is a tip (limits count the amount without it).
ALTER TABLE points_of_sale ADD COLUMN tips TEXT;
ALTER TABLE payments ADD COLUMN tip_amount BIGINT NOT NULL DEFAULT 0;

-- A link's own creditor reference (issue #8): the EPC QR code in the email of a single-use link
-- that offers bank transfer quotes it, so a payer can pay from the email without opening the
-- dialog. A statement credit quoting it starts (and pays) a transfer payment of that link.
-- Creditor references are unique across this table and bank_transfers (checked when made).
CREATE TABLE bank_link_references (
  creditor_reference TEXT PRIMARY KEY, -- ISO 11649, normalised (upper case, no spaces)
  link_id            TEXT NOT NULL UNIQUE REFERENCES links(id),
  created_at         BIGINT NOT NULL
);

/** Row shapes exactly as the tables hold them; mapped to domain records in the repositories. */
export interface LinkRow {
  seq: number;
  id: string;
  type: string;
  name: string;
  description: string | null;
  point_of_sale_id: string;
  amount: number | null;
  currency: string;
  min_amount: number | null;
  reuse: string;
  max_uses: number | null;
  per_payment_limit: number | null;
  total_amount_limit: number | null;
  expires_at: number | null;
  locale: string;
  country: string | null;
  metadata: string;
  ref_id_base: string;
  reference: string | null;
  cancellable: number;
  callback_url: string | null;
  line_items: string | null;
  enabled: number;
  cancelled_at: number | null;
  expired_noted_at: number | null;
  used_count: number;
  used_amount: number;
  pending_count: number;
  pending_amount: number;
  payment_count: number;
  next_ref_seq: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentRow {
  seq: number;
  id: string;
  link_id: string;
  ref_id: string;
  status: string;
  amount: number;
  currency: string;
  method: string;
  reference: string | null;
  payer_name: string | null;
  payer_email: string | null;
  metadata: string;
  refunded_amount: number;
  lock_expires_at: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface PointOfSaleRow {
  seq: number;
  id: string;
  name: string;
  currency: string;
  is_default: number;
  created_at: number;
  updated_at: number;
}

export interface EventRow {
  id: number;
  type: string;
  created_at: number;
  data: string;
}

export interface DisplayRow {
  point_of_sale_id: string;
  mode: string;
  link_id: string | null;
  payment_id: string | null;
  result_until: number | null;
  updated_at: number;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  role: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

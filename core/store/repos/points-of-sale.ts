import type { Sql } from '../sql/executor';
import type { PointOfSaleRecord } from '../types';
import type { TipSettings } from '../../payments/tips';

export interface PointOfSaleRow {
  seq: number;
  id: string;
  name: string;
  currency: string;
  is_default: number;
  methods: string | null;
  tips: string | null;
  created_at: number;
  updated_at: number;
}

function toPos(r: PointOfSaleRow): PointOfSaleRecord {
  return {
    id: r.id,
    name: r.name,
    currency: r.currency,
    isDefault: r.is_default === 1,
    methods: r.methods ? (JSON.parse(r.methods) as string[]) : null,
    tips: r.tips ? (JSON.parse(r.tips) as TipSettings) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type PointsOfSaleRepo = ReturnType<typeof pointsOfSaleRepo>;

export function pointsOfSaleRepo(sql: Sql) {
  return {
    insert: async (p: PointOfSaleRecord): Promise<void> => {
      await sql.run(
        `INSERT INTO points_of_sale (id, name, currency, is_default, methods, tips, created_at, updated_at)
         VALUES (@id, @name, @currency, @isDefault, @methods, @tips, @createdAt, @updatedAt)`,
        { ...p, methods: p.methods === null ? null : JSON.stringify(p.methods), tips: p.tips ? JSON.stringify(p.tips) : null },
      );
    },
    get: async (id: string): Promise<PointOfSaleRecord | undefined> => {
      const r = await sql.get<PointOfSaleRow>('SELECT * FROM points_of_sale WHERE id = @id', { id });
      return r && toPos(r);
    },
    default: async (): Promise<PointOfSaleRecord | undefined> => {
      const r = await sql.get<PointOfSaleRow>('SELECT * FROM points_of_sale WHERE is_default = 1 ORDER BY seq LIMIT 1');
      return r && toPos(r);
    },
    list: async (): Promise<PointOfSaleRecord[]> => (await sql.all<PointOfSaleRow>('SELECT * FROM points_of_sale ORDER BY seq')).map(toPos),
    update: async (p: PointOfSaleRecord): Promise<void> => {
      await sql.run(
        'UPDATE points_of_sale SET name = @name, currency = @currency, is_default = @isDefault, methods = @methods, tips = @tips, updated_at = @updatedAt WHERE id = @id',
        { ...p, methods: p.methods === null ? null : JSON.stringify(p.methods), tips: p.tips ? JSON.stringify(p.tips) : null },
      );
    },
    /** The point of sale's default payment methods for its links and charges; undefined = none set. */
    methods: async (id: string): Promise<string[] | undefined> => {
      const r = await sql.get<{ methods: string | null }>('SELECT methods FROM points_of_sale WHERE id = @id', { id });
      return r?.methods ? (JSON.parse(r.methods) as string[]) : undefined;
    },
    setMethods: async (id: string, methods: string[] | null): Promise<void> => {
      await sql.run('UPDATE points_of_sale SET methods = @methods WHERE id = @id', { id, methods: methods === null ? null : JSON.stringify(methods) });
    },
    clearDefault: async (): Promise<void> => {
      await sql.run('UPDATE points_of_sale SET is_default = 0 WHERE is_default = 1');
    },
  };
}

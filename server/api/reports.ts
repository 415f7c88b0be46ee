import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { negotiate } from '@fastify/accept-negotiator';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import type { DayReport } from '../../core/reports/day';
import { modeOf } from '../http/auth';
import { idempotent } from '../http/idempotency';
import { problems } from '../schemas/common';
import { DayCloseBody, DayReportQuery, ExportQuery } from '../schemas/reports';
import { Readable } from 'node:stream';
import { dayReportPdf } from '../pdf/day-report';

const tags = ['reports'];
const DayReportRef = Type.Ref('DayReport');
const Pdf = { 'application/pdf': { schema: Type.String({ format: 'binary' }) } };

/** Day reports (JSON or PDF) and closing the day. */
export function reportRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    const pdfOf = async (report: DayReport): Promise<Buffer> => {
      const merchant = await core.settings.readMerchant();
      const pos = report.pointOfSaleId ? await core.pointsOfSale.get(report.pointOfSaleId) : null;
      return dayReportPdf(report, merchant, pos?.name ?? null);
    };

    app.get(
      '/reports/day',
      {
        schema: {
          tags,
          summary: 'The end-of-day report of a day in the merchant’s time zone (JSON, or a PDF with Accept: application/pdf)',
          querystring: DayReportQuery,
          response: { 200: { description: 'The day report', content: { 'application/json': { schema: DayReportRef }, ...Pdf } }, ...problems(404, 422) },
        },
      },
      async (request, reply) => {
        const report = await core.dayReports.get(request.query.date, request.query.pointOfSaleId, modeOf(request));
        reply.header('Cache-Control', 'no-store');
        if (negotiate(request.headers.accept ?? 'application/json', ['application/json', 'application/pdf']) === 'application/pdf') {
          return reply
            .type('application/pdf')
            .header('Content-Disposition', `inline; filename="day-report-${report.date}.pdf"`)
            .send(await pdfOf(report));
        }
        return report;
      },
    );

    app.get(
      '/exports/payments.csv',
      {
        schema: {
          tags: ['exports'],
          summary: 'Payments and refunds of a range of days as CSV (RFC 4180, UTF-8; columns in the README), streamed',
          querystring: ExportQuery,
          response: { 200: { description: 'One header row, then a row per succeeded payment and per refund', content: { 'text/csv': { schema: Type.String() } } }, ...problems(422) },
        },
      },
      async (request, reply) => {
        const csv = await core.exports.paymentsCsv(request.query.from, request.query.to, modeOf(request));
        return reply
          .type('text/csv; charset=utf-8')
          .header('Cache-Control', 'no-store')
          .header('Content-Disposition', `attachment; filename="${csv.filename}"`)
          .send(Readable.from(csv.chunks));
      },
    );

    app.post(
      '/reports/day/close',
      {
        schema: {
          tags,
          summary: 'Close the day: its report is recorded, numbered and never changed; later payments fall into the next day',
          body: DayCloseBody,
          response: { 201: DayReportRef, ...problems(404, 409, 422) },
        },
      },
      async (request, reply) =>
        idempotent(core, request, reply, 201, (t) => core.dayReports.closeIn(t, request.body.date, request.body.pointOfSaleId ?? undefined, modeOf(request))),
    );
  };
}

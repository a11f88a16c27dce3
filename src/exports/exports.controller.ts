import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { GovAccount, accountMapRows, functionalClassRows } from './account-map';
import { BOOK_NAMES, REGISTER_NAMES } from './catalogue';
import { AuditPackageQueryDto, TableExportQueryDto } from './exports.dto';
import { ExportsService } from './exports.service';
import { TableFamily } from './exporter';

/** Who takes the books away: the auditors, and the finance bureau that keeps them (both see the whole county). */
const EXPORTERS = ['auditor', 'county_finance'] as const;

@ApiTags('exports')
@Controller('api/v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('account-map')
  @ApiOperation({
    summary: 'Read the account map to 政府會計制度',
    description: 'Each account kind (manual accounts by type) and its mapped account; each project category and its functional class.',
  })
  @Authenticated(...EXPORTERS)
  @ApiOkResponse({ description: '{ accounts: [{ kind, type?, govCode, govName }], functionalClasses: [{ category, code, name }] }' })
  accountMap(): {
    accounts: { kind: string; type?: string; govCode: string; govName: string }[];
    functionalClasses: { category: string; code: string; name: string }[];
  } {
    const gov = (g: GovAccount) => ({ govCode: g.code, govName: g.name });
    return {
      accounts: accountMapRows().map((r) => ({ kind: r.kind, ...(r.type ? { type: r.type } : {}), ...gov(r.gov) })),
      functionalClasses: functionalClassRows().map((r) => ({ category: r.category, code: r.gov.code, name: r.gov.name })),
    };
  }

  @Get('audit-package')
  @ApiOperation({
    summary: 'Download the audit package (zip)',
    description:
      'The books and registers of the period as CSV, every event, the signed checkpoints, the notices’ PDFs (and with ' +
      '`attachments=true` the claims’ scans), manifest.json and datapackage.json; verify it offline with `npm run cli -- verify-package`.',
  })
  @Authenticated(...EXPORTERS)
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The zip, streamed' })
  async auditPackage(@CurrentActor() actor: Actor, @Query() q: AuditPackageQueryDto, @Res() res: Response): Promise<void> {
    await this.exports.auditPackage(actor, { from: q.from, to: q.to }, q.attachments ?? false, res);
  }

  @Get('books/:name')
  @ApiOperation({
    summary: 'Download a book (journal, ledgers, trial balance, 資金一本帳)',
    description: 'CSV (UTF-8 with BOM), XLSX, or PDF for the trial balance and one account’s subsidiary ledger; streamed. Columns: docs/exports.md.',
  })
  @ApiParam({ name: 'name', enum: BOOK_NAMES })
  @Authenticated(...EXPORTERS)
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiOkResponse({ description: 'The file, streamed' })
  async book(@CurrentActor() actor: Actor, @Param('name') name: string, @Query() q: TableExportQueryDto, @Res() res: Response): Promise<void> {
    await this.table(actor, 'books', name, q, res);
  }

  @Get('registers/:name')
  @ApiOperation({
    summary: 'Download a register (contracts, payments, claims, steps, retention, alerts, notices)',
    description: 'CSV (UTF-8 with BOM) or XLSX, streamed. Columns: docs/exports.md.',
  })
  @ApiParam({ name: 'name', enum: REGISTER_NAMES })
  @Authenticated(...EXPORTERS)
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The file, streamed' })
  async register(@CurrentActor() actor: Actor, @Param('name') name: string, @Query() q: TableExportQueryDto, @Res() res: Response): Promise<void> {
    await this.table(actor, 'registers', name, q, res);
  }

  private table(actor: Actor, family: TableFamily, name: string, q: TableExportQueryDto, res: Response): Promise<void> {
    return this.exports.table(actor, { family, name, period: { from: q.from, to: q.to }, format: q.format ?? 'csv', account: q.account }, res);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { LEDGER_READERS } from '../ledger/ledger.controller';
import { ReportsService } from './reports.service';
import { AllocationReport, CountyReportRow, ProjectReport } from './reports.views';

export class CountyReportQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('allocations/:id')
  @ApiOperation({
    summary: 'Report on one fund allocation',
    description: 'Received, allocated to projects, committed by contracts, spent and available, with its projects.',
  })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: AllocationReport })
  allocation(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AllocationReport> {
    return this.reports.allocation(actor, id);
  }

  @Get('projects/:id')
  @ApiOperation({ summary: 'Report on one project', description: 'Budget, committed, spent, retention held and available, by source allocation.' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: ProjectReport })
  project(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProjectReport> {
    return this.reports.project(actor, id);
  }

  @Get('county')
  @ApiOperation({
    summary: 'County report by fiscal year and fund type',
    description: 'Received, allocated and available per fund type; `year` narrows it to one fiscal year.',
  })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: [CountyReportRow] })
  county(@CurrentActor() actor: Actor, @Query() q: CountyReportQuery): Promise<CountyReportRow[]> {
    return this.reports.county(actor, q.year);
  }
}

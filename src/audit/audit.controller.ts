import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { DEFAULT_PAGE_SIZE, PageQueryDto } from '../common/pagination';
import { col, selectRows } from '../database/rows';

export class EventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Return events with a greater seq', default: '0' })
  @IsOptional()
  // At most 18 digits: always within bigint, so the database never sees an out-of-range number.
  @Matches(/^[0-9]{1,18}$/, { message: 'afterSeq must be a whole number of at most 18 digits' })
  afterSeq?: string;
}

export class EventView {
  @ApiProperty({ example: '1' }) seq: string;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
  @ApiProperty() type: string;
  @ApiProperty() actor: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ description: 'The canonical JSON that was hashed, verbatim' }) body: string;
}

export class EventPage {
  @ApiProperty({ type: [EventView] }) items: EventView[];
  @ApiPropertyOptional({ nullable: true, description: 'afterSeq of the next page; null on the last page' })
  nextAfterSeq: string | null;
}

/** A sealed event (only sealed ones are listed, so `seq` and the hashes are set). */
const EventRow = z.object({
  seq: col.int8,
  prevHash: col.text,
  hash: col.text,
  type: col.text,
  actor: col.text,
  recordedAt: col.timestamp,
  body: col.text,
});

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly ds: DataSource) {}

  @Get('events')
  @ApiOperation({
    summary: 'Read the county’s audit event log',
    description:
      'Sealed events in `seq` order, each with its hash, the previous hash and the canonical body that was hashed, so a reader ' +
      'can recompute the chain. Events appear once sealed (every AUDIT_SEAL_INTERVAL_MS). Pages by `afterSeq`.',
  })
  @Authenticated('auditor', 'admin')
  @ApiOkResponse({ type: EventPage })
  async events(@CurrentActor() actor: Actor, @Query() q: EventsQueryDto): Promise<EventPage> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await selectRows(
      this.ds,
      EventRow,
      `SELECT seq, prev_hash, hash, type, actor, recorded_at, body FROM audit_events
          WHERE county_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [actor.county.id, q.afterSeq ?? '0', limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ ...r, recordedAt: r.recordedAt.toISOString() })),
      nextAfterSeq: rows.length > limit ? page[page.length - 1].seq : null,
    };
  }
}

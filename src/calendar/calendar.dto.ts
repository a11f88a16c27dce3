import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IdPageQueryDto } from '../common/pagination';
import { IsIsoDate } from '../common/validation';
import { DAY_KINDS, type DayKind } from './domain/working-days';
import { CHANGE_ACTIONS, CHANGE_STATES, type CalendarChangeAction, type CalendarChangeState } from './entities/calendar-change.entity';

/** The most working days one question may add: about four years. */
export const MAX_WORKING_DAYS = 1000;

export class CalendarQueryDto {
  @ApiPropertyOptional({ example: 2026, description: 'Default: this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(9999)
  year?: number;
}

export class WorkingDaysQueryDto {
  @ApiProperty({ example: '2026-09-25', description: 'The day counted from; not itself counted' })
  @IsIsoDate()
  from: string;

  @ApiProperty({ example: 20, minimum: 0, maximum: MAX_WORKING_DAYS, description: '0 answers `from` itself' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WORKING_DAYS)
  days: number;
}

export class ProposeCalendarChangeDto {
  @ApiProperty({ example: '2026-11-16', description: 'Today or later: days already passed stay as they were' })
  @IsIsoDate()
  day: string;

  @ApiProperty({
    enum: CHANGE_ACTIONS,
    description: '`set`: the day becomes `kind` named `name` (added or replacing what it holds); `remove`: back to the default rule',
  })
  @IsIn(CHANGE_ACTIONS)
  action: CalendarChangeAction;

  @ApiPropertyOptional({ enum: DAY_KINDS, description: 'For `set`: a holiday on a weekday or a worked Saturday or Sunday; absent for `remove`' })
  @ValidateIf((c: ProposeCalendarChangeDto) => c.action !== 'remove')
  @IsIn(DAY_KINDS)
  kind?: DayKind;

  @ApiPropertyOptional({ example: '縣慶', description: 'For `set`; absent for `remove`' })
  @ValidateIf((c: ProposeCalendarChangeDto) => c.action !== 'remove')
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiProperty({ example: '縣人民政府關於縣慶放假的通知' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class RejectCalendarChangeDto {
  @ApiProperty({ example: '日期有誤，請核對通知原文' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class CalendarChangeQueryDto extends IdPageQueryDto {}

export class CalendarDayView {
  @ApiProperty({ example: '2026-10-01' }) day: string;
  @ApiProperty({ enum: DAY_KINDS, description: '`holiday`: a weekday off (休); `workday`: a Saturday or Sunday worked (調休上班)' }) kind: DayKind;
  @ApiProperty({ example: '國慶節' }) name: string;
  @ApiPropertyOptional({ nullable: true, description: 'The approved change that wrote the day; null: the national notice' }) changeId: number | null;
}

export class CalendarView {
  @ApiProperty() year: number;
  @ApiProperty({
    type: [CalendarDayView],
    description: 'The days that depart from the default rule (Monday–Friday work, Saturday and Sunday rest); every other day follows it',
  })
  days: CalendarDayView[];
}

export class WorkingDaysView {
  @ApiProperty() from: string;
  @ApiProperty() days: number;
  @ApiProperty({ description: 'The `days`-th working day after `from`' }) date: string;
}

export class CalendarChangeView {
  @ApiProperty() id: number;
  @ApiProperty() day: string;
  @ApiProperty({ enum: CHANGE_ACTIONS }) action: CalendarChangeAction;
  @ApiPropertyOptional({ enum: DAY_KINDS, nullable: true }) kind: DayKind | null;
  @ApiPropertyOptional({ nullable: true }) name: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: CHANGE_STATES }) state: CalendarChangeState;
  @ApiProperty() proposedBy: number;
  @ApiProperty() proposedAt: string;
  @ApiPropertyOptional({ nullable: true, description: 'Who approved or rejected it' }) decidedBy: number | null;
  @ApiPropertyOptional({ nullable: true }) decidedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) rejectionReason: string | null;
}

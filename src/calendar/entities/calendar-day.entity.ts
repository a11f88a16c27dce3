import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { County } from '../../county/county.entity';
import type { DayKind } from '../domain/working-days';
import { CalendarChange } from './calendar-change.entity';

/**
 * A day on which a county's calendar departs from the default rule (Monday–Friday work, Saturday and Sunday rest): a
 * holiday on a weekday or an adjusted working day on a weekend, never anything else. Written only by the database:
 * the national days when a county is created, a day when its change is approved (CountyCalendar migration).
 */
@Entity('calendar_days')
@Check('CK_calendar_days_kind', `"kind" IN ('holiday', 'workday')`)
@Check('CK_calendar_days_departs', `("kind" = 'holiday') = (EXTRACT(ISODOW FROM "day") < 6)`)
export class CalendarDay {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_calendar_days' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_calendar_days_county' })
  county?: County;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_calendar_days' })
  day: string;

  @Column({ type: 'varchar', length: 16 })
  kind: DayKind;

  /** 元旦, 春節, …, or the county's own (縣慶). */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The approved change that wrote the day; null for a day of the national notice loaded with the county. */
  @Column({ type: 'int', nullable: true })
  changeId: number | null;

  @ManyToOne(() => CalendarChange, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'change_id', foreignKeyConstraintName: 'FK_calendar_days_change' })
  change?: CalendarChange;
}

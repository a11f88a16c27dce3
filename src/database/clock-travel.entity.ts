import { Check, Entity, PrimaryColumn } from 'typeorm';

/**
 * A row here lets the service hand the database a "today" later than the real one (the tests' clock, a training copy):
 * the publicity gates re-checked at commit read it (`publicity_today()`). A production database has none.
 */
@Entity('clock_travel')
@Check('CK_clock_travel_allowed', `"allowed"`)
export class ClockTravel {
  @PrimaryColumn({ type: 'boolean', primaryKeyConstraintName: 'PK_clock_travel' })
  allowed: boolean;
}

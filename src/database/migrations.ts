import { LedgerCore1795971754505 } from '../../migrations/1795971754505-LedgerCore';
import { LedgerGuards1795971754506 } from '../../migrations/1795971754506-LedgerGuards';
import { AccessControl1795974331642 } from '../../migrations/1795974331642-AccessControl';
import { Funds1795975749065 } from '../../migrations/1795975749065-Funds';
import { Projects1795976120876 } from '../../migrations/1795976120876-Projects';
import { Contracts1795977513156 } from '../../migrations/1795977513156-Contracts';
import { Payments1795977780007 } from '../../migrations/1795977780007-Payments';
import { Acceptance1795977996452 } from '../../migrations/1795977996452-Acceptance';
import { Retention1795978325797 } from '../../migrations/1795978325797-Retention';
import { Settlement1795978500071 } from '../../migrations/1795978500071-Settlement';
import { Claims1795980918072 } from '../../migrations/1795980918072-Claims';
import { Idempotency1795983753932 } from '../../migrations/1795983753932-Idempotency';
import { LeastPrivilege1795986441250 } from '../../migrations/1795986441250-LeastPrivilege';
import { PasswordChange1796143664175 } from '../../migrations/1796143664175-PasswordChange';
import { AccountLineSequence1796143772909 } from '../../migrations/1796143772909-AccountLineSequence';
import { LedgerTransactionEvent1796143772910 } from '../../migrations/1796143772910-LedgerTransactionEvent';
import { Identifiers1796144000000 } from '../../migrations/1796144000000-Identifiers';
import { OneIdempotency1796145000000 } from '../../migrations/1796145000000-OneIdempotency';
import { AccountDimensions1796146000000 } from '../../migrations/1796146000000-AccountDimensions';
import { ReviewGuards1796147000000 } from '../../migrations/1796147000000-ReviewGuards';
import { CountyCalendar1796148000000 } from '../../migrations/1796148000000-CountyCalendar';
import { Publicity1796149000000 } from '../../migrations/1796149000000-Publicity';
import { NoticeEvidence1796150000000 } from '../../migrations/1796150000000-NoticeEvidence';
import { Monitoring1796151000000 } from '../../migrations/1796151000000-Monitoring';
import { Checkpoints1796173152452 } from '../../migrations/1796173152452-Checkpoints';
import { TaskIndexes1796174000000 } from '../../migrations/1796174000000-TaskIndexes';

/** Every migration, in order. Listed explicitly so the compiled service and the tests load the same set. */
export const MIGRATIONS = [
  LedgerCore1795971754505,
  LedgerGuards1795971754506,
  AccessControl1795974331642,
  Funds1795975749065,
  Projects1795976120876,
  Contracts1795977513156,
  Payments1795977780007,
  Acceptance1795977996452,
  Retention1795978325797,
  Settlement1795978500071,
  Claims1795980918072,
  Idempotency1795983753932,
  LeastPrivilege1795986441250,
  PasswordChange1796143664175,
  AccountLineSequence1796143772909,
  LedgerTransactionEvent1796143772910,
  Identifiers1796144000000,
  OneIdempotency1796145000000,
  AccountDimensions1796146000000,
  ReviewGuards1796147000000,
  CountyCalendar1796148000000,
  Publicity1796149000000,
  NoticeEvidence1796150000000,
  Monitoring1796151000000,
  Checkpoints1796173152452,
  TaskIndexes1796174000000,
];

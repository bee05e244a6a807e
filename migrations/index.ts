import { CreateFacilitiesAndPrisoners1764370000000 } from './1764370000000-CreateFacilitiesAndPrisoners';
import { CreateStaffAccounts1764370100000 } from './1764370100000-CreateStaffAccounts';
import { CreateTerminalsAndRelatives1764380000000 } from './1764380000000-CreateTerminalsAndRelatives';
import { CreateAuditLog1764380100000 } from './1764380100000-CreateAuditLog';
import { CreatePolicyVersions1764390000000 } from './1764390000000-CreatePolicyVersions';
import { NotifyTerminalRevocation1764390100000 } from './1764390100000-NotifyTerminalRevocation';
import { CreateParcels1764400000000 } from './1764400000000-CreateParcels';
import { CreateLedgerAndCards1764410000000 } from './1764410000000-CreateLedgerAndCards';
import { AuditChainLanes1764420000000 } from './1764420000000-AuditChainLanes';
import { AuditEventsCommitOrder1764500000000 } from './1764500000000-AuditEventsCommitOrder';
import { FixFacilityTimeZone1764500100000 } from './1764500100000-FixFacilityTimeZone';
import { HistoryTimesFromTheClock1764500200000 } from './1764500200000-HistoryTimesFromTheClock';
import { RecordDepositAmountMismatch1764520000000 } from './1764520000000-RecordDepositAmountMismatch';
import { MatchReceiptNumbersIgnoringCase1764520100000 } from './1764520100000-MatchReceiptNumbersIgnoringCase';
import { AddWalletHolds1764520200000 } from './1764520200000-AddWalletHolds';
import { LockSignInPerClient1764530000000 } from './1764530000000-LockSignInPerClient';
import { CreatePayphoneContacts1764600000000 } from './1764600000000-CreatePayphoneContacts';
import { CreatePayphoneCalls1764600100000 } from './1764600100000-CreatePayphoneCalls';
import { CreatePayphoneBookings1764600200000 } from './1764600200000-CreatePayphoneBookings';
import { CreateLongVisits1764610000000 } from './1764610000000-CreateLongVisits';
import { CreateDisabilityRecords1764620000000 } from './1764620000000-CreateDisabilityRecords';
import { CreateOrderlyPositions1764620100000 } from './1764620100000-CreateOrderlyPositions';
import { CreateOrderlyAssignments1764620200000 } from './1764620200000-CreateOrderlyAssignments';
import { CreateOrderlyWages1764620300000 } from './1764620300000-CreateOrderlyWages';
import { CreateAuditCheckpoints1764630000000 } from './1764630000000-CreateAuditCheckpoints';
import { DropDatabaseClockDefaults1764640000000 } from './1764640000000-DropDatabaseClockDefaults';
import { EndAssignmentsWithTheNeed1764710000000 } from './1764710000000-EndAssignmentsWithTheNeed';
import { PayWagesOfDaysRecordedLate1764710100000 } from './1764710100000-PayWagesOfDaysRecordedLate';
import { CheckOpenDepositsInTurn1764720000000 } from './1764720000000-CheckOpenDepositsInTurn';

/** Every migration, in order. A new migration is added here as well as in its own file. */
export const MIGRATIONS = [
  CreateFacilitiesAndPrisoners1764370000000,
  CreateStaffAccounts1764370100000,
  CreateTerminalsAndRelatives1764380000000,
  CreateAuditLog1764380100000,
  CreatePolicyVersions1764390000000,
  NotifyTerminalRevocation1764390100000,
  CreateParcels1764400000000,
  CreateLedgerAndCards1764410000000,
  AuditChainLanes1764420000000,
  AuditEventsCommitOrder1764500000000,
  FixFacilityTimeZone1764500100000,
  HistoryTimesFromTheClock1764500200000,
  RecordDepositAmountMismatch1764520000000,
  MatchReceiptNumbersIgnoringCase1764520100000,
  AddWalletHolds1764520200000,
  LockSignInPerClient1764530000000,
  CreatePayphoneContacts1764600000000,
  CreatePayphoneCalls1764600100000,
  CreatePayphoneBookings1764600200000,
  CreateLongVisits1764610000000,
  CreateDisabilityRecords1764620000000,
  CreateOrderlyPositions1764620100000,
  CreateOrderlyAssignments1764620200000,
  CreateOrderlyWages1764620300000,
  CreateAuditCheckpoints1764630000000,
  DropDatabaseClockDefaults1764640000000,
  EndAssignmentsWithTheNeed1764710000000,
  PayWagesOfDaysRecordedLate1764710100000,
  CheckOpenDepositsInTurn1764720000000,
];

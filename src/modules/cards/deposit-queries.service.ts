import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { NotFoundError } from '../../common/errors/domain-error';
import { AccessService } from '../access/access.service';
import { DepositsRepository } from './deposits.repository';
import { DepositDto } from './dto/cards.dto';
import { depositDto } from './deposit-rules.service';

/** One deposit as its relative (or staff of its facility) follows it until the money is in. */
@Injectable()
export class DepositQueriesService {
  constructor(
    private readonly deposits: DepositsRepository,
    private readonly access: AccessService,
  ) {}

  async get(id: string, actor: Principal): Promise<DepositDto> {
    const d = await this.deposits.find(id);
    if (!d) throw new NotFoundError('Deposit');
    await this.access.requireHeld(actor, 'deposit', { id: d.id, facilityId: d.facilityId });
    return depositDto(d);
  }
}

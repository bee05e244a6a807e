import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { RelativeEntity } from './entities/relative.entity';

@Injectable()
export class RelativesRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get repo() {
    return this.uow.manager().getRepository(RelativeEntity);
  }

  insert(
    r: Pick<RelativeEntity, 'email' | 'passwordHash' | 'fullName' | 'phone' | 'createdAt'>,
  ): Promise<RelativeEntity> {
    return this.repo.save(this.repo.create({ ...r, active: true }));
  }

  findById(id: string): Promise<RelativeEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findForLogin(email: string): Promise<RelativeEntity | null> {
    return this.repo
      .createQueryBuilder('r')
      .addSelect('r.passwordHash')
      .where('r.email = :email', { email })
      .getOne();
  }

  async isActive(id: string): Promise<boolean> {
    const rows: Array<{ active: boolean }> = await this.uow
      .manager()
      .query(`SELECT active FROM relatives WHERE id = $1`, [id]);
    return rows[0]?.active === true;
  }
}

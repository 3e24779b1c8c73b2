import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthUser, keysetPage, Page, PageQuery, ProblemException } from '@atelier/core';
import { PlansService } from '@atelier/users';
import { CatalogErrorCode, modelNotFound } from './catalog.errors';
import type { CreateModelDto, UpdateModelDto } from './dto/model.dto';
import { Model } from './model.entity';
import { PlanModel } from './plan-links.entity';

/**
 * The model catalogue. Users see the active models their plan links; administrators see all,
 * inactive ones included, so they can manage them.
 */
@Injectable()
export class ModelsService {
  constructor(
    @InjectRepository(Model) private readonly models: Repository<Model>,
    private readonly plans: PlansService,
  ) {}

  async list(user: AuthUser, query: PageQuery): Promise<Page<Model>> {
    const qb = this.models.createQueryBuilder('m');
    if (user.role !== 'admin') {
      const plan = await this.plans.planForUser(user.id);
      qb.innerJoin(PlanModel, 'pm', 'pm.model_id = m.id AND pm.plan_id = :planId', { planId: plan.id }).where(
        'm.active = true',
      );
    }
    return keysetPage(qb, {
      sortColumn: 'm.createdAt',
      idColumn: 'm.id',
      limit: query.limit,
      cursor: query.cursor,
      map: (m) => m,
    });
  }

  /** A model the caller may see; anything else is a 404. */
  async getVisible(user: AuthUser, id: string): Promise<Model> {
    const model = await this.models.findOneBy({ id });
    if (!model) throw modelNotFound();
    if (user.role === 'admin') return model;
    const plan = await this.plans.planForUser(user.id);
    const linked = await this.models.manager.existsBy(PlanModel, { planId: plan.id, modelId: id });
    if (!model.active || !linked) throw modelNotFound();
    return model;
  }

  async get(id: string): Promise<Model> {
    const model = await this.models.findOneBy({ id });
    if (!model) throw modelNotFound();
    return model;
  }

  async create(input: CreateModelDto): Promise<Model> {
    await this.assertNameFree(input.name);
    return this.models.save(this.models.create(input));
  }

  async update(id: string, input: UpdateModelDto): Promise<Model> {
    const model = await this.get(id);
    if (input.name !== undefined && input.name !== model.name) await this.assertNameFree(input.name);
    return this.models.save(this.models.merge(model, input));
  }

  /** Workflows on the model keep running without its values (their model link is cleared). */
  async remove(id: string): Promise<void> {
    const result = await this.models.delete({ id });
    if (!result.affected) throw modelNotFound();
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.models.existsBy({ name })) {
      throw ProblemException.conflict(
        CatalogErrorCode.ModelNameTaken,
        `A model named "${name}" already exists.`,
      );
    }
  }
}

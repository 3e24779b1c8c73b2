import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '@atelier/core';
import { User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { DEFAULT_PLAN_SLUG, Plan } from './plan.entity';

export type PlanInput = Partial<Omit<Plan, 'id' | 'createdAt' | 'updatedAt'>>;

@Injectable()
export class PlansService {
  constructor(
    @InjectRepository(Plan) private readonly plans: Repository<Plan>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** Active plans, cheapest first (the public price list). */
  listActive(): Promise<Plan[]> {
    return this.plans.find({ where: { active: true }, order: { priceCents: 'ASC', slug: 'ASC' } });
  }

  async get(id: string): Promise<Plan> {
    const plan = await this.plans.findOneBy({ id });
    if (!plan) throw ProblemException.notFound(UsersErrorCode.PlanNotFound, 'Plan not found.');
    return plan;
  }

  async bySlug(slug: string): Promise<Plan> {
    const plan = await this.plans.findOneBy({ slug });
    if (!plan) throw ProblemException.notFound(UsersErrorCode.PlanNotFound, `Plan "${slug}" not found.`);
    return plan;
  }

  /** The plan new accounts start on. Missing means the seeds were not run: a server error. */
  async defaultPlan(): Promise<Plan> {
    const plan = await this.plans.findOneBy({ slug: DEFAULT_PLAN_SLUG });
    if (!plan) {
      throw new ProblemException(
        HttpStatus.INTERNAL_SERVER_ERROR,
        UsersErrorCode.NoDefaultPlan,
        `The "${DEFAULT_PLAN_SLUG}" plan does not exist; run the seeds.`,
      );
    }
    return plan;
  }

  /** The user's plan (the default plan when none is assigned). */
  async planForUser(userId: string): Promise<Plan> {
    // getOne rather than findOne: with a join, findOne's implicit LIMIT costs a second query.
    const user = await this.users
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.plan', 'plan')
      .where('user.id = :userId', { userId })
      .getOne();
    if (!user) throw ProblemException.notFound(UsersErrorCode.UserNotFound, 'User not found.');
    return user.plan ?? this.defaultPlan();
  }

  async create(input: PlanInput): Promise<Plan> {
    if (await this.plans.existsBy({ slug: input.slug })) {
      throw ProblemException.conflict(UsersErrorCode.PlanSlugTaken, `A plan "${input.slug}" already exists.`);
    }
    return this.plans.save(this.plans.create(input));
  }

  async update(id: string, input: PlanInput): Promise<Plan> {
    const plan = await this.get(id);
    if (input.slug && input.slug !== plan.slug && (await this.plans.existsBy({ slug: input.slug }))) {
      throw ProblemException.conflict(UsersErrorCode.PlanSlugTaken, `A plan "${input.slug}" already exists.`);
    }
    return this.plans.save(this.plans.merge(plan, input));
  }

  /** Deletes a plan nobody is on; one still in use can only be deactivated. */
  async remove(id: string): Promise<void> {
    const plan = await this.get(id);
    if (plan.slug === DEFAULT_PLAN_SLUG || (await this.users.existsBy({ planId: id }))) {
      throw ProblemException.conflict(
        UsersErrorCode.PlanInUse,
        'This plan is the default or still has users; deactivate it instead.',
      );
    }
    await this.plans.delete(id);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import {
  keysetPage,
  namedFieldErrors,
  type Page,
  type PageQuery,
  ProblemException,
  referencedBy,
} from '@atelier/core';
import { FoldersService } from '@atelier/images';
import { SocialAccountsService } from '../accounts/social-accounts.service';
import { assertCaptionFits } from '../posts/posts.service';
import { SchedulerErrorCode } from '../scheduler.errors';
import {
  type CreateScheduleDto,
  ScheduleDto,
  ScheduleRunDto,
  type UpdateScheduleDto,
} from './dto/schedule.dto';
import { computeNextRun, type ScheduleRule, validateScheduleRule } from './next-run';
import { ScheduleRun } from './schedule-run.entity';
import { Schedule } from './schedule.entity';

@Injectable()
export class SchedulesService {
  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    @InjectRepository(ScheduleRun) private readonly runs: Repository<ScheduleRun>,
    private readonly accounts: SocialAccountsService,
    private readonly folders: FoldersService,
  ) {}

  list(ownerId: string, query: PageQuery): Promise<Page<ScheduleDto>> {
    const qb = this.schedules
      .createQueryBuilder('schedule')
      .where('schedule.ownerId = :ownerId', { ownerId });
    return keysetPage(qb, {
      sortColumn: 'schedule.createdAt',
      idColumn: 'schedule.id',
      limit: query.limit,
      cursor: query.cursor,
      map: ScheduleDto.from,
    });
  }

  async findOwned(ownerId: string, id: string): Promise<Schedule> {
    const schedule = await this.schedules.findOneBy({ id, ownerId });
    if (!schedule)
      throw ProblemException.notFound(SchedulerErrorCode.ScheduleNotFound, 'Schedule not found.');
    return schedule;
  }

  async create(ownerId: string, dto: CreateScheduleDto): Promise<ScheduleDto> {
    const account = await referencedBy(
      'socialAccountId',
      this.accounts.findOwned(ownerId, dto.socialAccountId),
    );
    await this.assertOwnFolder(ownerId, dto.folderId);
    const schedule = this.schedules.create({
      ownerId,
      socialAccountId: account.id,
      name: dto.name,
      captionTemplate: dto.captionTemplate ?? '',
      folderId: dto.folderId ?? null,
      tag: normaliseTag(dto.tag),
      active: dto.active ?? true,
      lastRunAt: null,
      ...ruleColumns(dto),
    });
    // The template's placeholders are filled per run; the hashtags must fit on their own.
    schedule.hashtags = assertCaptionFits(account, '', dto.hashtags ?? []);
    schedule.nextRunAt = schedule.active ? computeNextRun(checkedRule(schedule), new Date()) : null;
    return ScheduleDto.from(await this.schedules.save(schedule));
  }

  async update(ownerId: string, id: string, dto: UpdateScheduleDto): Promise<ScheduleDto> {
    const schedule = await this.findOwned(ownerId, id);
    if (dto.name !== undefined) schedule.name = dto.name;
    if (dto.captionTemplate !== undefined) schedule.captionTemplate = dto.captionTemplate;
    if (dto.folderId !== undefined) {
      await this.assertOwnFolder(ownerId, dto.folderId);
      schedule.folderId = dto.folderId;
    }
    if (dto.tag !== undefined) schedule.tag = normaliseTag(dto.tag);
    if (dto.active !== undefined) schedule.active = dto.active;
    if (dto.hashtags !== undefined) {
      const account = await this.accounts.findOwned(ownerId, schedule.socialAccountId);
      schedule.hashtags = assertCaptionFits(account, '', dto.hashtags);
    }
    Object.assign(schedule, ruleColumns({ ...schedule, ...withoutUndefined(dto) }));
    schedule.nextRunAt = schedule.active ? computeNextRun(checkedRule(schedule), new Date()) : null;
    return ScheduleDto.from(await this.schedules.save(schedule));
  }

  async remove(ownerId: string, id: string): Promise<void> {
    const schedule = await this.findOwned(ownerId, id);
    await this.schedules.delete({ id: schedule.id });
  }

  async pause(ownerId: string, id: string): Promise<ScheduleDto> {
    const schedule = await this.findOwned(ownerId, id);
    await this.schedules.update({ id }, { active: false, nextRunAt: null });
    return ScheduleDto.from({ ...schedule, active: false, nextRunAt: null });
  }

  /** Resumes from now: runs missed while paused are not caught up. */
  async resume(ownerId: string, id: string): Promise<ScheduleDto> {
    const schedule = await this.findOwned(ownerId, id);
    const nextRunAt = computeNextRun(checkedRule(schedule), new Date());
    await this.schedules.update({ id }, { active: true, nextRunAt });
    return ScheduleDto.from({ ...schedule, active: true, nextRunAt });
  }

  async listRuns(ownerId: string, id: string, query: PageQuery): Promise<Page<ScheduleRunDto>> {
    await this.findOwned(ownerId, id);
    const qb = this.runs.createQueryBuilder('run').where('run.scheduleId = :id', { id });
    return keysetPage(qb, {
      sortColumn: 'run.runAt',
      idColumn: 'run.id',
      limit: query.limit,
      cursor: query.cursor,
      map: ScheduleRunDto.from,
    });
  }

  /** A schedule draws images from one of its owner's folders; another user's is a 404 like a missing one. */
  private async assertOwnFolder(ownerId: string, folderId: string | null | undefined): Promise<void> {
    if (folderId) await referencedBy('folderId', this.folders.findOwned(ownerId, folderId));
  }
}

export function ruleOf(schedule: Schedule): ScheduleRule {
  return {
    frequency: schedule.frequency,
    timeOfDay: schedule.timeOfDay ?? undefined,
    daysOfWeek: schedule.daysOfWeek ?? undefined,
    dayOfMonth: schedule.dayOfMonth ?? undefined,
    cron: schedule.cron ?? undefined,
    timeZone: schedule.timeZone,
  };
}

/** The rule, or a 400 naming each bad field. */
function checkedRule(schedule: Schedule): ScheduleRule {
  const rule = ruleOf(schedule);
  const errors = validateScheduleRule(rule);
  if (errors.length > 0) {
    throw ProblemException.validationFailed(errors, namedFieldErrors(errors));
  }
  return rule;
}

/** Only the fields the frequency uses are kept, so a stale dayOfMonth never lingers on a weekly rule. */
function ruleColumns(input: {
  frequency: Schedule['frequency'];
  timeZone: string;
  timeOfDay?: string | null;
  daysOfWeek?: number[] | null;
  dayOfMonth?: number | null;
  cron?: string | null;
}): Pick<Schedule, 'frequency' | 'timeZone' | 'timeOfDay' | 'daysOfWeek' | 'dayOfMonth' | 'cron'> {
  const f = input.frequency;
  return {
    frequency: f,
    timeZone: input.timeZone,
    timeOfDay: f === 'cron' ? null : (input.timeOfDay ?? null),
    daysOfWeek: f === 'weekly' ? [...new Set(input.daysOfWeek ?? [])].sort() : null,
    dayOfMonth: f === 'monthly' ? (input.dayOfMonth ?? null) : null,
    cron: f === 'cron' ? (input.cron?.trim() ?? null) : null,
  };
}

function normaliseTag(tag: string | undefined | null): string | null {
  const normalised = (tag ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  return normalised || null;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

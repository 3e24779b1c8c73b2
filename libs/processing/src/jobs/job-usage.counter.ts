import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserUsageRegistry } from '@atelier/users';
import { Job } from './job.entity';

/** Tells the admin view of a user how many jobs they have submitted. */
@Injectable()
export class JobUsageCounter implements OnModuleInit {
  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly registry: UserUsageRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register('jobs', (ownerId) => this.jobs.countBy({ ownerId }));
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserUsageRegistry } from '@atelier/users';
import { Image } from './entities/image.entity';

/** Tells the admin view of a user how many images they keep (deleted ones not counted). */
@Injectable()
export class ImageUsageCounter implements OnModuleInit {
  constructor(
    @InjectRepository(Image) private readonly images: Repository<Image>,
    private readonly registry: UserUsageRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register('images', (ownerId) => this.images.countBy({ ownerId }));
  }
}

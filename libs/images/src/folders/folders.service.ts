import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { isUniqueViolation, keysetPage, Page, PageQuery, ProblemException } from '@atelier/core';
import { Folder } from '../entities/folder.entity';
import { Image } from '../entities/image.entity';
import { ImageErrorCode } from '../images.errors';

const DEFAULT_FOLDER_NAME = 'Default';
/** Owners whose default folder id this process remembers (the oldest remembered is forgotten first). */
const DEFAULT_IDS_KEPT = 10_000;

@Injectable()
export class FoldersService {
  /**
   * Default folder ids by owner. A default folder is never deleted (see remove) nor replaced, so
   * its id holds for the life of the account: every image stored without a folder skips a read.
   */
  private readonly defaultIds = new Map<string, string>();

  constructor(
    @InjectRepository(Folder) private readonly folders: Repository<Folder>,
    private readonly db: DataSource,
  ) {}

  list(ownerId: string, page: PageQuery): Promise<Page<Folder>> {
    const qb = this.folders.createQueryBuilder('f').where('f.owner_id = :ownerId', { ownerId });
    return keysetPage(qb, {
      sortColumn: 'f.created_at',
      idColumn: 'f.id',
      limit: page.limit,
      cursor: page.cursor,
      map: (f) => f,
    });
  }

  async findOwned(ownerId: string, id: string): Promise<Folder> {
    const folder = await this.folders.findOneBy({ id, ownerId });
    if (!folder) throw ProblemException.notFound(ImageErrorCode.FolderNotFound, 'Folder not found.');
    return folder;
  }

  /** O-Art's folder lookup by name: exact (names are unique per owner), the caller's folders only. */
  async findOwnedByName(ownerId: string, name: string): Promise<Folder> {
    const folder = await this.folders.findOneBy({ ownerId, name: name.trim() });
    if (!folder) throw ProblemException.notFound(ImageErrorCode.FolderNotFound, 'Folder not found.');
    return folder;
  }

  /** The id of the user's default folder (created on first use), read once per process. */
  async defaultFolderId(ownerId: string): Promise<string> {
    const known = this.defaultIds.get(ownerId);
    if (known) return known;
    const { id } = await this.defaultFolder(ownerId);
    if (this.defaultIds.size >= DEFAULT_IDS_KEPT)
      this.defaultIds.delete(this.defaultIds.keys().next().value!);
    this.defaultIds.set(ownerId, id);
    return id;
  }

  /** The user's default folder, created on first use (a partial unique index keeps it single). */
  async defaultFolder(ownerId: string): Promise<Folder> {
    const existing = await this.folders.findOneBy({ ownerId, isDefault: true });
    if (existing) return existing;
    // "Default" may already name one of the user's own folders; then the default gets a suffix.
    for (const name of [DEFAULT_FOLDER_NAME, `${DEFAULT_FOLDER_NAME} (${Date.now().toString(36)})`]) {
      await this.folders
        .createQueryBuilder()
        .insert()
        .values({ ownerId, name, isDefault: true })
        .orIgnore()
        .execute();
      const created = await this.folders.findOneBy({ ownerId, isDefault: true });
      if (created) return created;
    }
    throw new Error(`Could not create the default folder of user ${ownerId}`);
  }

  async create(ownerId: string, name: string): Promise<Folder> {
    await this.defaultFolder(ownerId);
    return this.saveUnique(this.folders.create({ ownerId, name: name.trim(), isDefault: false }));
  }

  async rename(ownerId: string, id: string, name: string): Promise<Folder> {
    const folder = await this.findOwned(ownerId, id);
    folder.name = name.trim();
    return this.saveUnique(folder);
  }

  /** Deletes a folder; its images (deleted ones included) move to the default folder. */
  async remove(ownerId: string, id: string): Promise<void> {
    const folder = await this.findOwned(ownerId, id);
    if (folder.isDefault) {
      throw ProblemException.conflict(
        ImageErrorCode.DefaultFolderLocked,
        'The default folder cannot be deleted.',
      );
    }
    const fallback = await this.defaultFolder(ownerId);
    await this.db.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(Image)
        .set({ folderId: fallback.id })
        .where('folder_id = :id AND owner_id = :ownerId', { id, ownerId })
        .execute();
      await manager.delete(Folder, { id, ownerId });
    });
  }

  private async saveUnique(folder: Folder): Promise<Folder> {
    try {
      return await this.folders.save(folder);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw ProblemException.conflict(
          ImageErrorCode.FolderNameTaken,
          `You already have a folder named "${folder.name}".`,
        );
      }
      throw error;
    }
  }
}

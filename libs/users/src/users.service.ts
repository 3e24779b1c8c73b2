import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { normalizeEmail, User, usernameKeyOf } from './user.entity';
import { UsersErrorCode } from './users.errors';

/** Reads and checks account records; the other services build on it. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The live (not deleted) user, or null. */
  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The live user unless an administrator deactivated them (then null: no new tokens). */
  async findActiveById(id: string): Promise<User | null> {
    const user = await this.findById(id);
    return user && !user.deactivatedAt ? user : null;
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw ProblemException.notFound(UsersErrorCode.UserNotFound, 'User not found.');
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** By email or username, with the password hash (which is not selected by default). */
  findForLogin(login: string): Promise<User | null> {
    const key = login.trim().toLowerCase();
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where(key.includes('@') ? 'user.email = :key' : 'user.usernameKey = :key', { key })
      .getOne();
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :id', { id })
      .getOne();
    return user?.passwordHash ?? null;
  }

  /** 409 `email_taken` / `username_taken` unless both are free (ignoring `exceptId`). */
  async assertAvailable(fields: { email?: string; username?: string }, exceptId?: string): Promise<void> {
    if (fields.email) {
      const owner = await this.users.findOne({
        where: { email: normalizeEmail(fields.email) },
        withDeleted: true,
      });
      if (owner && owner.id !== exceptId)
        throw ProblemException.conflict(UsersErrorCode.EmailTaken, 'This email is already registered.');
    }
    if (fields.username) {
      const owner = await this.users.findOne({
        where: { usernameKey: usernameKeyOf(fields.username) },
        withDeleted: true,
      });
      if (owner && owner.id !== exceptId)
        throw ProblemException.conflict(UsersErrorCode.UsernameTaken, 'This username is taken.');
    }
  }

  /**
   * A free username close to `wanted` (accounts created from an identity provider): allowed
   * characters only, 3 to 24 of them, with a random suffix when taken.
   */
  async freeUsername(wanted: string): Promise<string> {
    const base = wanted
      .replace(/[^A-Za-z0-9_.-]/g, '')
      .slice(0, 24)
      .padEnd(3, '_');
    if (!(await this.users.exist({ where: { usernameKey: usernameKeyOf(base) }, withDeleted: true })))
      return base;
    return `${base}-${randomBytes(3).toString('hex')}`;
  }

  isVerified(user: User): boolean {
    return user.emailVerifiedAt !== null;
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, ProblemException, Created } from '@atelier/core';
import { VerifiedUser } from '@atelier/users';
import {
  CreatePostDto,
  PostDto,
  PostListQuery,
  PostPageDto,
  PostStatsDto,
  UpdatePostDto,
} from './dto/post.dto';
import { PostStatsService } from './post-stats.service';
import { PostsService } from './posts.service';

@ApiTags('scheduler')
@Controller('posts')
@VerifiedUser()
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly statistics: PostStatsService,
  ) {}

  @Post()
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 255 },
    description: 'Repeating a request with the same key returns the first post',
  })
  @Created('posts/:id', { type: PostDto })
  create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreatePostDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
      throw ProblemException.invalidField('Idempotency-Key', 'must be 1 to 255 characters');
    }
    return this.posts.create(user.id, dto, idempotencyKey);
  }

  @Get()
  @ApiOkResponse({ type: PostPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PostListQuery) {
    return this.posts.list(user.id, query);
  }

  @Get('stats')
  @ApiOkResponse({ type: PostStatsDto })
  stats(@CurrentUser() user: AuthUser) {
    return this.statistics.stats(user.id);
  }

  @Get(':id')
  @ApiOkResponse({ type: PostDto })
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return PostDto.from(await this.posts.findOwned(user.id, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: PostDto })
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePostDto) {
    return this.posts.update(user.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.posts.remove(user.id, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: PostDto })
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.posts.cancel(user.id, id);
  }

  @Post(':id/publish-now')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: PostDto })
  publishNow(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.posts.publishNow(user.id, id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: PostDto })
  retry(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.posts.retry(user.id, id);
  }
}

import { Module } from '@nestjs/common';
import { StyleAdminController } from './style-admin.controller';
import { StylePreferencesController } from './style-preferences.controller';
import { StylesController } from './styles.controller';
import { StylesModule } from './styles.module';

@Module({
  imports: [StylesModule],
  controllers: [StylesController, StyleAdminController, StylePreferencesController],
})
export class StylesHttpModule {}

/* NestJS (its Express adapter) under Narwhal. Nest builds its app asynchronously: create it, run
   init() (not listen()), and export the Express instance underneath, a (req, res) listener.
   Narwhal loads TypeScript, decorators included, without a build step.
   Run it: npx narwhal -w 2 app.ts */
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Controller()
class AppController {
  @Get('json')
  json(): { framework: string; pid: number } {
    return { framework: 'nestjs', pid: process.pid };
  }

  @Post('echo')
  @HttpCode(200) // Nest answers a POST with 201 otherwise
  echo(@Body() body: unknown): unknown {
    return body;
  }

  @Get('error')
  fail(): never {
    throw new Error('boom'); // Nest answers {"statusCode":500,"message":"Internal server error"}
  }
}

@Module({ controllers: [AppController] })
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
await app.init();

export default app.getHttpAdapter().getInstance();

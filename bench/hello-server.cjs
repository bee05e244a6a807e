// A Nest 11 hello-world on the adapter named in argv[2], for comparing adapters under load.
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

class HelloController {
  hello() {
    return { hello: 'world' };
  }
}
Reflect.decorate([Get()], HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'));
Reflect.decorate([Controller('hello')], HelloController);
class HelloModule {}
Reflect.decorate([Module({ controllers: [HelloController] })], HelloModule);

async function main() {
  const [adapterName, port] = process.argv.slice(2);
  let adapter;
  if (adapterName === 'fastify') {
    const { FastifyAdapter } = require('@nestjs/platform-fastify');
    adapter = new FastifyAdapter();
  } else {
    const { ExpressAdapter } = require('@nestjs/platform-express');
    adapter = new ExpressAdapter();
  }
  const app = await NestFactory.create(HelloModule, adapter, { logger: false });
  await app.listen(Number(port), '127.0.0.1');
  process.send?.('ready');
}
main();

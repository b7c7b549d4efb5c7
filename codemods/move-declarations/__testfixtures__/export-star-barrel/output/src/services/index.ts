export * from './proxy.service';
export * from './socket.service';
export { PipeManager, Pipe } from './pipe.service';

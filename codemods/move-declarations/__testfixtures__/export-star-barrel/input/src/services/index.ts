export * from './proxy.service';
export * from './socket.service';

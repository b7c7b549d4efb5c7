export * as sockets from './services/socket.service';

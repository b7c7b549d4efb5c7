import Hub from '~server/objects/Hubs';

const hub = new Hub();

export default hub;

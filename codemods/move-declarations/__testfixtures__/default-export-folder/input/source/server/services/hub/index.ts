import Hub from '~server/objects/Hub';

const hub = new Hub();

export default hub;

import { expect } from 'chai';
import { connect } from 'node:net';
import { startTestRedis, type TestRedis } from './redis-server.js';

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write('PING\r\n'));
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString());
    });
    sock.once('error', reject);
  });
}

describe('test support: private redis-server', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis.dispose();
  });

  it('answers PING, and comes back on the same port after a hard stop', async () => {
    expect(await ping(redis.port)).to.equal('+PONG\r\n');
    await redis.stop(true);
    let refused = false;
    await ping(redis.port).catch(() => {
      refused = true;
    });
    expect(refused).to.equal(true);
    await redis.restart();
    expect(await ping(redis.port)).to.equal('+PONG\r\n');
  });
});

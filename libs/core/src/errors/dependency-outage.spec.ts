import { isDependencyOutage } from './dependency-outage';

describe('isDependencyOutage', () => {
  const wrapped = (driverError: object) => Object.assign(new Error('query failed'), { driverError });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    ],
    [
      'ioredis giving up',
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    ['a closed ioredis connection', new Error('Connection is closed.')],
    ['a pg connection ended', new Error('Connection terminated unexpectedly')],
    ['a database shutting down (57P01)', wrapped({ code: '57P01' })],
    ['a connection exception (08006)', wrapped({ code: '08006' })],
    ['too many connections (53300)', wrapped({ code: '53300' })],
    [
      'an AggregateError of refused addresses',
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    ],
  ])('is true for %s', (_name, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it.each([
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation', wrapped({ code: '23505' })],
    ['a bad text value', wrapped({ code: '22P02' })],
    ['not an error', 'ECONNREFUSED'],
  ])('is false for %s', (_name, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });
});

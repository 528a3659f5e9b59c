// The metrics endpoint fails closed: nothing set serves no metrics, a weak token is refused naming
// PARLEY_METRICS_TOKEN, and metrics without a token are served only on a loopback listener of their own.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

const production = { PARLEY_JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters' };
const token = 'a-metrics-token-of-thirty-two-chars-or-more';

describe('metrics configuration', () => {
  it('serves no metrics at all when nothing asks for them', () => {
    expect(loadConfig(production).metrics).toBeNull();
  });

  it('serves them on Parley’s port behind a token', () => {
    expect(loadConfig({ ...production, PARLEY_METRICS_TOKEN: token }).metrics).toEqual({
      token,
      listen: null,
    });
  });

  it('serves them on a loopback listener of their own without a token, 127.0.0.1 unless told', () => {
    expect(loadConfig({ ...production, PARLEY_METRICS_PORT: '9464' }).metrics).toEqual({
      token: null,
      listen: { host: '127.0.0.1', port: 9464 },
    });
    const anyHost = { ...production, PARLEY_METRICS_PORT: '9464', PARLEY_METRICS_HOST: '0.0.0.0' };
    expect(loadConfig({ ...anyHost, PARLEY_METRICS_TOKEN: token }).metrics).toEqual({
      token,
      listen: { host: '0.0.0.0', port: 9464 },
    });
  });

  it.each([
    ['short-token', 'at least 32 characters'],
    ['a metrics token with spaces in it, long enough', 'no spaces'],
  ])('refuses the token %j, naming PARLEY_METRICS_TOKEN and never repeating it', (weak, why) => {
    const refusal = () => loadConfig({ ...production, PARLEY_METRICS_TOKEN: weak });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(/PARLEY_METRICS_TOKEN: /);
    expect(refusal).toThrow(why);
    expect(refusal).not.toThrow(weak);
  });

  it('refuses a listener other machines reach without a token, naming PARLEY_METRICS_TOKEN', () => {
    const refusal = () =>
      loadConfig({ ...production, PARLEY_METRICS_PORT: '9464', PARLEY_METRICS_HOST: '10.0.0.5' });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(/^PARLEY_METRICS_TOKEN: required when metrics listen on 10\.0\.0\.5/);
  });

  it('refuses a metrics host without a port, naming PARLEY_METRICS_PORT', () => {
    expect(() => loadConfig({ ...production, PARLEY_METRICS_HOST: '127.0.0.1' })).toThrow(
      /^PARLEY_METRICS_PORT: required with PARLEY_METRICS_HOST/,
    );
  });
});

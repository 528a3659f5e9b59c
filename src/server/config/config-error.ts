// Why Parley refuses to start: a variable missing, malformed or at odds with another.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

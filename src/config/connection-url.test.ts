import { buildDatabendDsn, ConnectionUrlError, parseDatabendUrl } from './connection-url';

const dsn = (url: string, over: { user?: string; password?: string; database?: string; extras?: Record<string, string> } = {}) =>
  buildDatabendDsn({ url: parseDatabendUrl(url), extras: over.extras ?? {}, ...over });

describe('parseDatabendUrl', () => {
  it('reads a bare jdbc URL', () => {
    expect(parseDatabendUrl('jdbc:databend://localhost:8000')).toEqual({ form: 'jdbc', host: 'localhost', port: 8000, params: {} });
  });

  it('reads user info, database and parameters, percent-decoded', () => {
    expect(parseDatabendUrl('jdbc:databend://us%40er:p%3Ass%2Fw@db.example.com:8000/my%20db?ssl=true&tenant=t')).toEqual({
      form: 'jdbc',
      host: 'db.example.com',
      port: 8000,
      user: 'us@er',
      password: 'p:ss/w',
      database: 'my db',
      params: { ssl: 'true', tenant: 't' },
    });
  });

  it('reads a databend DSN, IPv6 hosts, user without password', () => {
    expect(parseDatabendUrl('databend://root@[::1]:8000/default?sslmode=disable')).toEqual({
      form: 'databend',
      host: '[::1]',
      port: 8000,
      user: 'root',
      password: '',
      database: 'default',
      params: { sslmode: 'disable' },
    });
  });

  it('takes user and password query parameters (JDBC style) when the URL has no user info', () => {
    expect(parseDatabendUrl('jdbc:databend://h/db?user=u&password=p&x=1')).toMatchObject({ user: 'u', password: 'p', params: { x: '1' } });
    expect(parseDatabendUrl('jdbc:databend://a:b@h/db?user=u&password=p')).toMatchObject({ user: 'a', password: 'b' });
  });

  it.each([
    ['mysql://h', /must start with/],
    ['jdbc:databend://h1,h2', /one host/],
    ['databend://:8000', /no host|not a valid URL/],
    ['databend://h:65536', /not a valid URL/],
    ['databend://h/a/b', /at most one database/],
  ])('rejects %s', (url, message) => {
    expect(() => parseDatabendUrl(url)).toThrow(ConnectionUrlError);
    expect(() => parseDatabendUrl(url)).toThrow(message);
  });

  it('never repeats the URL (it may hold a password) in an error', () => {
    // Caught here, asserted below: a URL that parsed fails the test (a throw inside the try was caught by its own catch).
    for (const url of ['jdbc:databend://u:TOPSECRET@h1,h2', 'databend://u:TOPSECRET@h:99999', 'databend://u:TOPSECRET@h/a/b', 'http://u:TOPSECRET@h']) {
      let thrown: unknown = null;
      try {
        parseDatabendUrl(url);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConnectionUrlError);
      expect((thrown as Error).message).not.toBe('');
      expect((thrown as Error).message).not.toContain('TOPSECRET');
    }
  });
});

describe('buildDatabendDsn', () => {
  it('jdbc without ssl: plain HTTP, port 8000, root, database default', () => {
    expect(dsn('jdbc:databend://localhost')).toMatchObject({ dsn: 'databend://root:@localhost:8000/default?sslmode=disable', ssl: false, port: 8000, user: 'root', password: '', database: 'default' });
  });

  it('jdbc with ssl=true: TLS, port 443', () => {
    expect(dsn('jdbc:databend://h?ssl=true').dsn).toBe('databend://root:@h:443/default?sslmode=enable');
    expect(dsn('jdbc:databend://h:8443/db?sslmode=enable').dsn).toBe('databend://root:@h:8443/db?sslmode=enable');
    expect(dsn('jdbc:databend://h?ssl=false').ssl).toBe(false);
  });

  it('databend URLs default to TLS like databend-driver, unless sslmode=disable', () => {
    expect(dsn('databend://u:p@h/db').dsn).toBe('databend://u:p@h:443/db?sslmode=enable');
    expect(dsn('databend://u:p@h:8000/db?sslmode=disable').dsn).toBe('databend://u:p@h:8000/db?sslmode=disable');
    expect(dsn('databend://h?sslmode=DISABLE').ssl).toBe(false);
  });

  it('connection.user/password/database override the URL; values are encoded', () => {
    const d = dsn('jdbc:databend://a:b@h:8000/x', { user: 'w@r', password: 'p/w:?', database: 'my db' });
    expect(d.dsn).toBe('databend://w%40r:p%2Fw%3A%3F@h:8000/my%20db?sslmode=disable');
    expect(d).toMatchObject({ user: 'w@r', password: 'p/w:?', database: 'my db' });
  });

  it('keeps URL parameters and lets connection.* extras override them', () => {
    const d = dsn('databend://h:8000/db?sslmode=disable&warehouse=a&tenant=t', { extras: { warehouse: 'b', presign: 'off' } });
    expect(d.dsn).toBe('databend://root:@h:8000/db?sslmode=disable&warehouse=b&tenant=t&presign=off');
    expect(d.params).toEqual({ warehouse: 'b', tenant: 't', presign: 'off' });
  });

  it('extras may set TLS', () => {
    expect(dsn('jdbc:databend://h', { extras: { ssl: 'true' } }).ssl).toBe(true);
    expect(dsn('databend://h', { extras: { sslmode: 'disable' } }).ssl).toBe(false);
  });

  it('rejects an unknown or contradictory TLS setting', () => {
    expect(() => dsn('databend://h?sslmode=require')).toThrow('sslmode must be enable or disable');
    expect(() => dsn('databend://h?ssl=yes')).toThrow('ssl must be true or false');
    expect(() => dsn('jdbc:databend://h?ssl=true&sslmode=disable')).toThrow('ssl=true contradicts sslmode=disable');
    expect(() => dsn('jdbc:databend://h?ssl=true&sslmode=enable')).not.toThrow();
  });
});

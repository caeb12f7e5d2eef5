// The secrets the secrets tests send, in every place a client can put them.

// Every secret value starts with this marker, and the search looks for the marker alone: a value
// that leaks cut short (an error message quotes ten characters of a body) is still found.
export const MARKER = 'Zk7Qw9J';
export const secret = (where: string): string => `${MARKER}-${where}-value`;

/** Headers that carry credentials: the ones the issue names, and more of the same kind. */
export const SECRET_HEADERS: Readonly<Record<string, string>> = {
  authorization: `Bearer ${secret('authorization')}`,
  'proxy-authorization': `Basic ${secret('proxy-authorization')}`,
  cookie: `session=${secret('cookie')}; theme=dark`,
  'set-cookie': `session=${secret('set-cookie')}; HttpOnly`,
  'x-api-key': secret('x-api-key'),
  'x-auth-token': secret('x-auth-token'),
  'x-csrf-token': secret('x-csrf-token'),
  'x-amz-security-token': secret('x-amz-security-token'),
};

/** Query values are never recorded, whatever the key says. */
export const SECRET_QUERY = `token=${secret('query-token')}&password=${secret('query-password')}&api_key=${secret('query-api-key')}&q=${secret('query-q')}`;

/** Body fields that name secrets, at the top and nested. */
export const secretFields = (where: string): Record<string, string> => ({
  password: secret(`${where}-password`),
  token: secret(`${where}-token`),
  client_secret: secret(`${where}-client-secret`),
});

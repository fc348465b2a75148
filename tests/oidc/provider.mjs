// provider.mjs — a real OpenID provider for the tests: the npm package
// oidc-provider (a certified implementation; a devDependency pinned in
// package-lock.json) on loopback over HTTPS with a throwaway certificate.
//
// usage: node provider.mjs PORT CERT KEY REDIRECT_URI POST_LOGOUT_URI SECRET
// Prints "ready ISSUER" when it listens. One client, "itstrat" (client
// secret SECRET, client_secret_basic, code flow, PKCE required), and its
// development login page (any password) for the account "pat" (groups
// it-strategy-editors, e-mail verified). Two control addresses, for tests:
//   POST /__rotate  new RSA signing key; the old one stays published (how
//                   a provider rotates), the new one signs from now on
//   GET  /__stats   {"jwks": how many times the key set was fetched}
import https from 'node:https';
import crypto from 'node:crypto';
import fs from 'node:fs';
import Provider from 'oidc-provider';

const [port, certFile, keyFile, redirectUri, postLogoutUri, secret] = process.argv.slice(2);
const issuer = `https://127.0.0.1:${port}`;
let jwksFetches = 0;
let nkeys = 0;

function newKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: `key-${++nkeys}`, alg: 'RS256', use: 'sig' };
}

const accounts = {
  pat: { sub: 'pat', email: 'pat@example.org', email_verified: true, name: 'Pat Manager',
         preferred_username: 'pat', groups: ['it-strategy-editors', 'staff'] },
};

function makeProvider(keys) {
  const p = new Provider(issuer, {
    clients: [{
      client_id: 'itstrat', client_secret: secret, redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri], grant_types: ['authorization_code'],
      response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys },
    async findAccount(ctx, id) {
      const a = accounts[id];
      if (!a) return undefined;
      return { accountId: id, async claims() { return { ...a }; } };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'],
              profile: ['name', 'preferred_username', 'groups'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['itstrat-test-cookie-key'] },
  });
  return p;
}

let keys = [newKey()];
let provider = makeProvider(keys);
let handler = provider.callback();

const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
  (req, res) => {
    if (req.url === '/__rotate' && req.method === 'POST') {
      keys = [newKey(), ...keys]; // the first RS256 key signs
      provider = makeProvider(keys);
      handler = provider.callback();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ kid: keys[0].kid }));
    }
    if (req.url === '/__stats') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ jwks: jwksFetches }));
    }
    if (req.url.startsWith('/jwks')) jwksFetches++;
    return handler(req, res);
  });
server.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

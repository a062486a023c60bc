// A real OpenID Connect provider for the single sign-on tests (issue #18): npm's certified `oidc-provider`, on
// loopback, with the provider's own login page (its development interactions: the login is the account's email,
// the password is not checked). Started by tests/idp/__init__.py; configured by the environment:
//   IDP_PORT          the port on 127.0.0.1
//   IDP_CLIENTS       JSON list of clients (client_id, client_secret, redirect_uris, post_logout_redirect_uris)
//   IDP_ACCOUNTS      path of a JSON file {"<email>": {"name": "...", "groups": [...]}}, read at every login, so a
//                     test can rename an account between two logins
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.IDP_CLIENTS);

function accounts() {
  return JSON.parse(readFileSync(process.env.IDP_ACCOUNTS, 'utf8'));
}

const provider = new Provider(issuer, {
  clients,
  cookies: { keys: ['staedtenetz-test-idp-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: account.name, groups: account.groups || [] };
      },
    };
  },
  // a first-party client: the consent screen is skipped, every requested scope and claim is granted
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

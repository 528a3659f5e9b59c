-- Where each user came from, and the order of the statements that shaped profiles and record scopes, so that
-- an old token or grant can never replay access that a newer one took away (docs/access.md, docs/records.md).

-- 'host': signed in with a host token; 'demo': seeded by demo mode; 'system': an API key's bot.
alter table users add column source text not null default 'host' check (source in ('host', 'demo', 'system'));
-- `iat` (Unix seconds) of the token whose claims the profile holds; only a newer token changes it.
alter table users add column profile_issued_at bigint not null default 0;

update users set source = 'system' where id like 'apikey:%';
update users set source = 'demo'
where (id, org_id, email) in (values
  ('ana', 'axiom', 'ana@axiom.example'), ('raj', 'axiom', 'raj@axiom.example'),
  ('sam', 'axiom', 'sam@axiom.example'), ('olivia', 'oracare', 'olivia@oracare.example'),
  ('omar', 'oracare', 'omar@oracare.example'), ('nina', 'northwind', 'nina@northwind.example'),
  ('noah', 'northwind', 'noah@northwind.example'));

-- Unix seconds of the statement that last set the record's audience: a server-to-server declaration (its
-- time) or a grant (its `iat`). A grant older than this cannot change the audience.
alter table records add column scope_issued_at bigint not null default 0;
update records set scope_issued_at = extract(epoch from updated_at)::bigint;

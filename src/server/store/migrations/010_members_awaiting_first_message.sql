-- A direct or group conversation is shown to the people its starter invited only once something is written
-- in it (docs/access.md). The flag marks those members; while it is set and the conversation has no message,
-- the conversation is not in their list, their sync or their sockets' rooms. Nothing clears it: the first
-- message (last_seq > 0) shows the conversation in the same commit that stores it.
alter table conversation_members add column awaits_first_message boolean not null default false;

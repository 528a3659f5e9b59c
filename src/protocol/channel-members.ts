// What a channel's member list answers: who is in it (with the organisation and role the access rules are
// written in) and what the asking member may do about it, so that clients offer only allowed actions.
import { z } from 'zod';
import { broadcastMentionRules } from './channel-rights.ts';
import { userSchema } from './models.ts';

/** A member as other members see them: no e-mail, which only people one may message show. */
export const channelMemberSchema = userSchema.omit({ email: true }).meta({ id: 'ChannelMember' });
export type ChannelMember = z.infer<typeof channelMemberSchema>;

export const channelMembersResponseSchema = z.strictObject({
  members: z.array(channelMemberSchema).describe('In the order they joined.'),
  createdBy: z.string().nullable().describe('Who created the channel.'),
  mayManage: z
    .boolean()
    .describe('Whether the asking user may rename, re-scope or archive it and remove members.'),
  mayInvite: z.boolean().describe('Whether the asking user may add people (in scope) now.'),
  broadcastMentions: z.enum(broadcastMentionRules).describe('Who may mention everyone at once.'),
  mayMentionEveryone: z.boolean().describe('Whether the asking user may send `@channel` or `@here` here.'),
});
export type ChannelMembersResponse = z.infer<typeof channelMembersResponseSchema>;

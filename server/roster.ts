/**
 * The decision body's meeting roster on file (Decree 713 Art. 30): its head and the members of
 * its executive or plenary meeting, enabled accounts only. The collective decision takes it in
 * when it opens, so the minutes name speakers and attendees from it, never typed names.
 */
import type { Models } from '../activities/models';
import type { Roster } from '../workflows/model';

export async function rosterOf(models: Models, agencyName: string): Promise<Roster & { onFile: boolean }> {
  const agency = await models.Organisation.findOne({ kind: 'agency', name: agencyName }).lean();
  if (!agency) return { agency: agencyName, head: null, members: [], onFile: false };
  const ids = [...new Set([...(agency.head ? [agency.head] : []), ...agency.meetingMembers])];
  const users = new Map((await models.User.find({ _id: { $in: ids }, disabled: { $ne: true } }, { name: 1 }).lean()).map((u) => [u._id, u.name]));
  const head = agency.head && users.has(agency.head) ? { username: agency.head, name: users.get(agency.head)! } : null;
  const members = agency.meetingMembers.filter((m) => m !== agency.head && users.has(m)).map((m) => ({ username: m, name: users.get(m)! }));
  return { agency: agencyName, head, members, onFile: true };
}

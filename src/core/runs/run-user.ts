/**
 * Who a run's command runs as: the image's own USER when it sets one, else the first ordinary
 * user in its /etc/passwd (uid 1000 to 59999), else root (the image has nobody else).
 */
export interface RunUser {
  /** For the container's User ("" : the image's default, root). */
  user: string;
  uid: number;
  gid: number;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

function parsePasswd(passwd: string): PasswdEntry[] {
  return passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4 && /^\d+$/.test(fields[2]!) && /^\d+$/.test(fields[3]!))
    .map((fields) => ({ name: fields[0]!, uid: Number(fields[2]), gid: Number(fields[3]) }));
}

export function chooseRunUser(image: { configured: string; passwd: string }): RunUser {
  const entries = parsePasswd(image.passwd);
  const configured = image.configured.trim();
  if (configured) {
    const [name, group] = configured.split(':');
    const entry = /^\d+$/.test(name!) ? entries.find((candidate) => candidate.uid === Number(name)) : entries.find((candidate) => candidate.name === name);
    const uid = /^\d+$/.test(name!) ? Number(name) : (entry?.uid ?? 0);
    const gid = group !== undefined && /^\d+$/.test(group) ? Number(group) : (entry?.gid ?? uid);
    return { user: configured, uid, gid };
  }
  const ordinary = entries.find((entry) => entry.uid >= 1000 && entry.uid < 60000);
  return ordinary ? { user: `${ordinary.uid}:${ordinary.gid}`, uid: ordinary.uid, gid: ordinary.gid } : { user: '', uid: 0, gid: 0 };
}

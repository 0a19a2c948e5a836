// What to tell the user when the venue refused the logon, from the venue's Logout text: a sequence number
// refusal is not a credentials problem and has its own remedy.

export function logonRefusalAdvice(venueText: string, storeDir: string): string {
  const tooLow = /MsgSeqNum too low, expecting (\d+) but received (\d+)/.exec(venueText);
  if (tooLow !== null) {
    return (
      `the venue refused the logon because of sequence numbers: it expects MsgSeqNum ${tooLow[1]} or more, this client ` +
      `sent ${tooLow[2]} (its store under ${storeDir} is behind the venue's). Run again with --reset to start both ` +
      `sides from 1, or delete that folder and ask venue operations to reset the session`
    );
  }
  if (/MsgSeqNum/i.test(venueText)) {
    return `the venue refused the logon because of sequence numbers ("${venueText}"): run again with --reset to start both sides from 1`;
  }
  return 'the venue refused the logon: check --session and --password (the venue log says why)';
}

import { failureMessage, SEVERAL_ACCOUNTS } from '../../sidebar/server';

describe('the sidebar’s sentence for a failed server call', () => {
  test.each([
    ['', 'Governed Path could not reach the spreadsheet. Check your connection and try again.'],
    ['NetworkError: offline', 'Governed Path could not reach the spreadsheet.'],
    [
      "ScriptError: We're sorry, a server error occurred. Please wait a bit and try again.",
      'Google could not run Governed Path for this account.',
    ],
    ['PERMISSION_DENIED', 'Google could not run Governed Path for this account.'],
  ])('%p explains the several-accounts case', (raw, start) => {
    const message = failureMessage(new Error(raw));
    expect(message.startsWith(start)).toBe(true);
    expect(message).toContain(SEVERAL_ACCOUNTS);
  });

  test('the server’s own sentence is shown as it is', () => {
    expect(failureMessage(new Error('Error: Only the security team can do that.'))).toBe(
      'Only the security team can do that.',
    );
  });
});

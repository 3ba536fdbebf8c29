import { describe, expect, it } from 'vitest';
import { htmlToText, messageText, recipientWords } from '../../src/scams/message-text.js';

describe('htmlToText', () => {
  it('keeps visible text, drops scripts and styles, breaks lines at blocks', () => {
    const text = htmlToText(
      '<html><head><title>T</title><style>p{color:red}</style></head><body><p>Your account&nbsp;is <b>locked</b>.</p><script>var x=1</script><div>Verify now &amp; keep access</div></body></html>',
    );
    expect(text).toBe('Your account is locked.\nVerify now & keep access');
  });
});

describe('messageText', () => {
  const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');

  it('uses the text part when it carries real text', () => {
    expect(messageText({ subject: 'Hi', text: words, html: '<p>other</p>' })).toBe(`Hi\n${words}`);
  });

  it('uses the HTML part when the text part is a stub', () => {
    expect(messageText({ subject: 'S', text: 'View in browser', html: `<p>${words}</p>` })).toBe(
      `S\n${words}`,
    );
  });
});

describe('recipientWords', () => {
  it('takes the display-name words and the mailbox local part', () => {
    const words = recipientWords({ to: [{ name: 'Jane Roe', address: 'jane.roe@example.org' }], cc: [] });
    expect(words).toEqual(expect.arrayContaining(['Jane', 'Roe', 'jane.roe', 'jane', 'roe']));
  });
});

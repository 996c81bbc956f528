/** The texts of the account emails. */
import type { Email } from './mailer.js';

export const verificationEmail = (to: string, link: string): Email => ({
  to,
  subject: 'Confirm your email for Little Monster',
  text: `Open this link to confirm your email and finish creating your Little Monster account:

${link}

The link works for 24 hours. If you did not sign up, ignore this email.`,
});

export const alreadyRegisteredEmail = (to: string): Email => ({
  to,
  subject: 'Your Little Monster account',
  text: `Someone tried to create a Little Monster account with this email, which already has one.

If it was you, sign in instead, or choose "Forgot password" in Settings › Account.
If it was not you, ignore this email: nothing was changed.`,
});

export const resetEmail = (to: string, code: string): Email => ({
  to,
  subject: 'Reset your Little Monster password',
  text: `In Little Monster, choose Settings › Account › Forgot password › "I have a code" and paste this code:

${code}

The code works for one hour, once. Resetting the password signs out every device.
If you did not ask for this, ignore this email: your password stays as it is.`,
});

// Small curated lists of URL services that hide or host content: shorteners, free hosting, form builders,
// and click-tracking domains of bulk-mail services. Matched on the registrable domain or the host suffix.
// Popular is not safe: every service here is widely abused precisely because it is trusted.

export const SHORTENERS = new Set(
  (
    'bit.ly bitly.com tinyurl.com t.co goo.gl ow.ly is.gd buff.ly rebrand.ly cutt.ly shorturl.at rb.gy t.ly ' +
    'tiny.cc bl.ink soo.gd s.id v.gd qrco.de lnkd.in shorte.st adf.ly bc.vc trib.al snip.ly short.io ' +
    'x.co u.to clck.ru did.li tiny.one shorturl.com 2u.pm urlz.fr t2m.io surl.li u.nu hyperurl.co'
  ).split(' '),
);

export const FREE_HOSTING_SUFFIXES = (
  '000webhostapp.com weebly.com wixsite.com wix.com blogspot.com github.io gitlab.io glitch.me netlify.app ' +
  'vercel.app pages.dev workers.dev web.app firebaseapp.com appspot.com herokuapp.com azurewebsites.net ' +
  'web.core.windows.net blob.core.windows.net r2.dev repl.co replit.app onrender.com fly.dev surge.sh ' +
  'godaddysites.com square.site mystrikingly.com webflow.io carrd.co wordpress.com sites.google.com ' +
  'storage.googleapis.com s3.amazonaws.com amplifyapp.com ngrok.io ngrok-free.app trycloudflare.com ' +
  'ipfs.io dweb.link cloudflare-ipfs.com nftstorage.link myshopify.com yolasite.com jimdosite.com ' +
  'webcindario.com 4everland.app translate.goog'
).split(' ');

export const FORM_SERVICES = (
  'forms.gle docs.google.com/forms forms.office.com forms.microsoft.com typeform.com jotform.com ' +
  'formstack.com surveymonkey.com wufoo.com formsite.com 123formbuilder.com cognitoforms.com ' +
  'hsforms.com paperform.co zoho.com/forms'
).split(' ');

/** Click-tracking hosts of bulk-mail services: a newsletter's "www.shop.example" text linking here is normal. */
export const ESP_TRACKING_SUFFIXES = (
  'list-manage.com mailchimp.com mcusercontent.com sendgrid.net ct.sendgrid.net mandrillapp.com ' +
  'exacttarget.com sailthru.com rs6.net constantcontact.com hubspotlinks.com hs-sites.com hubspot.com ' +
  'mailgun.org mlsend.com klaviyo.com klclick.com cmail19.com cmail20.com createsend.com ' +
  'mkt.com marketo.com mktoweb.com salesforce.com pardot.com awstrack.me sparkpostmail.com ' +
  'substack.com convertkit-mail.com ck.page campaign-archive.com e2ma.net eventbrite.com ' +
  'linkedin.com lnkd.in safelinks.protection.outlook.com urldefense.com urldefense.proofpoint.com ' +
  // Campaign and advocacy mail services, and other senders' trackers (NGP VAN, Action Network, Blue State
  // Digital, Salsa, Mailjet, AWeber, GetResponse, ActiveCampaign, Customer.io, Iterable, Postmark, MailerLite).
  'ngpvan.com myngp.com everyaction.com actionnetwork.org bsd.net salsalabs.org mjt.lu aweber.com ' +
  'getresponse.com acemlna.com acemlnb.com acemlnc.com acemlnd.com customeriomail.com iterable.com ' +
  'pstmrk.it mailerlite.com mailchi.mp'
).split(' ');

/** TLDs far more often seen in abuse than in legitimate mail (Spamhaus/Interisle reports). */
export const RISKY_TLDS = new Set(
  (
    'xyz top club online site icu vip buzz work click link support live shop rest cyou cam monster ' +
    'tk ml ga cf gq zip mov country kim science party review stream download racing win bid loan men date ' +
    'trade accountant faith cricket gdn webcam ru.com sbs cfd bond quest lat pw'
  ).split(' '),
);

export function hostMatchesSuffix(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

/** True for a mail service's click-tracking or link-rewriting host (ESP_TRACKING_SUFFIXES). */
export function isTrackingHost(host: string): boolean {
  return ESP_TRACKING_SUFFIXES.some((s) => hostMatchesSuffix(host, s));
}

/** For entries like 'docs.google.com/forms': host suffix plus path prefix. */
export function urlMatchesEntry(host: string, path: string, entry: string): boolean {
  const slash = entry.indexOf('/');
  if (slash < 0) return hostMatchesSuffix(host, entry);
  return hostMatchesSuffix(host, entry.slice(0, slash)) && path.toLowerCase().startsWith(entry.slice(slash));
}

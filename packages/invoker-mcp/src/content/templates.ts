// Templates: a ready page as data (style + page meta + blocks with props). use_template renders one
// through composePage, so a template can never do anything a composition cannot.
import type { BlockInput, PageMeta } from './compose.js';

export interface Template {
  id: string;
  name: string;
  description: string;
  style: string;
  page: PageMeta;
  blocks: BlockInput[];
}

const nav = (brand: string, links: Array<[string, string]> = [], ctaLabel = '', ctaHref = '#'): BlockInput => ({
  blockId: 'navbar',
  props: { brand, links: links.map(([label, href]) => ({ label, href })), ctaLabel, ctaHref },
});
const footer = (text: string): BlockInput => ({ blockId: 'footer', props: { text } });

export const TEMPLATES: readonly Template[] = [
  {
    id: 'waitlist',
    name: 'Waitlist',
    description: 'Pre-launch page: headline, three benefits and an email sign-up for early access.',
    style: 'midnight',
    page: { title: 'Nimbus: join the waitlist', description: 'Be first to try Nimbus.', favicon: '🚀' },
    blocks: [
      { blockId: 'navbar-minimal', props: { brand: 'Nimbus' } },
      { blockId: 'hero-centered', props: { eyebrow: 'Coming soon', title: 'Your notes, everywhere, instantly', subtitle: 'Nimbus syncs your notes across every device in under a second. Join the waitlist for early access.', primaryLabel: 'Join the waitlist', primaryHref: '#signup' } },
      { blockId: 'features-grid', props: { anchor: 'features', title: 'Why Nimbus' } },
      { blockId: 'form-signup', props: { title: 'Get early access', intro: 'We are letting people in every week.', submitLabel: 'Join the waitlist', note: 'No spam. One email when your spot opens.' } },
      footer('© 2026 Nimbus'),
    ],
  },
  {
    id: 'contact',
    name: 'Contact',
    description: 'Contact page: short intro, a name/email/message form and the ways to reach you.',
    style: 'clean',
    page: { title: 'Contact us', description: 'Send us a message.', favicon: '✉️' },
    blocks: [
      { blockId: 'navbar-minimal', props: { brand: 'Acme Studio', linkLabel: 'Home', linkHref: '/' } },
      { blockId: 'form-contact', props: { title: 'Contact us', intro: 'Questions, quotes or just hello: we reply within one working day.' } },
      { blockId: 'event-details', props: { anchor: 'reach', title: 'Other ways to reach us', facts: [{ label: 'Email', value: 'hello@acme.example' }, { label: 'Phone', value: '+44 20 7946 0000' }, { label: 'Office', value: '12 Market St, London' }], primaryLabel: '' } },
      footer('© 2026 Acme Studio'),
    ],
  },
  {
    id: 'rsvp',
    name: 'RSVP',
    description: 'Invitation with the event facts and an RSVP form (attending, guests, dietary needs).',
    style: 'editorial',
    page: { title: 'Maya & Tom: RSVP', description: 'Join us to celebrate.', favicon: '💌' },
    blocks: [
      { blockId: 'hero-minimal', props: { eyebrow: 'You are invited', title: 'Maya & Tom are getting married', subtitle: 'We would love you to celebrate with us.' } },
      { blockId: 'event-details', props: { facts: [{ label: 'Date', value: 'Saturday 12 September 2026' }, { label: 'Ceremony', value: '15:00' }, { label: 'Place', value: 'Hollow Farm, Kent' }] } },
      { blockId: 'form-rsvp', props: { intro: 'Please reply by 1 August.' } },
      footer('Questions? Call Maya on 07700 900123.'),
    ],
  },
  {
    id: 'survey',
    name: 'Survey / feedback',
    description: 'Feedback form: a 1–5 rating, what worked, what to improve and an optional email.',
    style: 'forest',
    page: { title: 'Share your feedback', description: 'Tell us how we did.', favicon: '💬' },
    blocks: [
      { blockId: 'hero-minimal', props: { title: 'How did we do?', subtitle: 'Your answers go straight to the team and shape what we build next.' } },
      { blockId: 'form-survey', props: { title: 'Your feedback', intro: '' } },
      footer('Thank you for helping us improve.'),
    ],
  },
  {
    id: 'newsletter',
    name: 'Newsletter signup',
    description: 'Newsletter landing: what readers get, a sample of past issues and an email sign-up.',
    style: 'editorial',
    page: { title: 'The Slow Letter', description: 'A weekly letter about doing fewer things, better.', favicon: '📬' },
    blocks: [
      { blockId: 'hero-centered', props: { eyebrow: 'Every Sunday', title: 'The Slow Letter', subtitle: 'One thoughtful essay a week about doing fewer things, better. Read by 12,000 people.', primaryLabel: 'Subscribe free', primaryHref: '#newsletter' } },
      { blockId: 'features-rows', props: { title: 'Recent issues', items: [{ title: 'The two-list method', text: 'Why a "not now" list matters more than a to-do list.' }, { title: 'Boring tools', text: 'The case for software that never surprises you.' }] } },
      { blockId: 'form-signup', props: { anchor: 'newsletter', title: 'Subscribe', intro: 'Free, weekly, unsubscribe in one click.', submitLabel: 'Subscribe' } },
      footer('© 2026 The Slow Letter'),
    ],
  },
  {
    id: 'landing',
    name: 'Landing page',
    description: 'Product landing page: nav, hero, logos, features, stats, testimonials, FAQ, CTA and sign-up.',
    style: 'clean',
    page: { title: 'Acme: forms that just work', description: 'Collect answers without the busywork.', favicon: '⚡' },
    blocks: [
      nav('Acme', [['Features', '#features'], ['How it works', '#how'], ['FAQ', '#faq']], 'Start free', '#signup'),
      { blockId: 'hero-split', props: { eyebrow: 'New', title: 'Forms that just work', subtitle: 'Build a form, share the link, read the answers. No code, no setup, no surprises.', primaryLabel: 'Start free', secondaryLabel: 'See how it works', secondaryHref: '#how' } },
      { blockId: 'logos' },
      { blockId: 'features-grid', props: { anchor: 'features', title: 'Everything you need' } },
      { blockId: 'steps', props: { anchor: 'how' } },
      { blockId: 'stats' },
      { blockId: 'testimonials' },
      { blockId: 'faq' },
      { blockId: 'form-signup', props: { title: 'Start free today', intro: 'Create your first form in under a minute.', submitLabel: 'Start free' } },
      { blockId: 'footer-columns', props: { brand: 'Acme', tagline: 'Forms for small teams.', text: '© 2026 Acme' } },
    ],
  },
  {
    id: 'link-in-bio',
    name: 'Link in bio',
    description: 'A profile with a stack of big links and a newsletter sign-up, for social bios.',
    style: 'playful',
    page: { title: 'Alex Rivera', description: 'Links from Alex Rivera.', favicon: '🌈' },
    blocks: [
      { blockId: 'hero-profile' },
      { blockId: 'link-list' },
      { blockId: 'form-signup', props: { anchor: 'newsletter', title: 'Get my monthly notes', intro: '', submitLabel: 'Subscribe' } },
      footer('© 2026 Alex Rivera'),
    ],
  },
  {
    id: 'event',
    name: 'Event page',
    description: 'Event with a countdown, the when and where, the programme, FAQ and registration.',
    style: 'midnight',
    page: { title: 'Build Night 2030', description: 'An evening of demos and pizza.', favicon: '🎟️' },
    blocks: [
      nav('Build Night', [['Details', '#details'], ['Programme', '#programme'], ['FAQ', '#faq']], 'Register', '#register'),
      { blockId: 'hero-centered', props: { eyebrow: 'Free community event', title: 'Build Night 2030', subtitle: 'Five demos, one stage, unlimited pizza. Come and see what people are making.', primaryLabel: 'Register', primaryHref: '#register' } },
      { blockId: 'countdown', props: { title: 'Doors open in' } },
      { blockId: 'event-details', props: { facts: [{ label: 'Date', value: '1 January 2030' }, { label: 'Time', value: '09:00 – 17:00 UTC' }, { label: 'Place', value: 'Hall 3, Tech Park' }], primaryLabel: 'Register', primaryHref: '#register' } },
      { blockId: 'steps', props: { anchor: 'programme', title: 'Programme', items: [{ title: 'Doors and coffee', text: '09:00' }, { title: 'Demos', text: '10:00 – 15:00' }, { title: 'Awards and drinks', text: '16:00' }] } },
      { blockId: 'faq', props: { items: [{ question: 'Is it free?', answer: 'Yes, registration is required because space is limited.' }, { question: 'Can I demo?', answer: 'Yes: tick the box when you register and we will be in touch.' }] } },
      { blockId: 'form', props: { anchor: 'register', title: 'Register', fields: [{ name: 'name', label: 'Name', type: 'text', required: true }, { name: 'email', label: 'Email address', type: 'email', required: true }, { name: 'demo', label: 'I would like to demo', type: 'checkbox' }], submitLabel: 'Register' } },
      footer('Build Night is run by volunteers.'),
    ],
  },
  {
    id: 'portfolio',
    name: 'Portfolio',
    description: 'Personal portfolio: intro, selected work, about, kind words and a contact form.',
    style: 'mono',
    page: { title: 'Alex Rivera: design portfolio', description: 'Selected work by Alex Rivera.', favicon: '🎨' },
    blocks: [
      nav('Alex Rivera', [['Work', '#work'], ['About', '#about'], ['Contact', '#contact']]),
      { blockId: 'hero-profile', props: { bio: 'Product designer in Lisbon. I help small teams ship calm, useful software.' } },
      { blockId: 'gallery' },
      { blockId: 'text', props: { anchor: 'about', title: 'About me', paragraphs: [{ text: 'Ten years designing products for startups and studios. I care about clear words, quiet interfaces and shipping.' }] } },
      { blockId: 'testimonial-quote', props: { quote: 'Alex turned a messy brief into the best launch we have had.', name: 'Dana P.', role: 'CEO, Lumen' } },
      { blockId: 'form-contact', props: { title: 'Work with me', intro: 'Tell me about your project.' } },
      footer('© 2026 Alex Rivera'),
    ],
  },
  {
    id: 'pricing',
    name: 'Pricing page',
    description: 'Plans side by side with a featured tier, a pricing FAQ and a closing call to action.',
    style: 'brutalist',
    page: { title: 'Pricing: Acme', description: 'Simple plans for every team.', favicon: '💳' },
    blocks: [
      nav('Acme', [['Pricing', '#pricing'], ['FAQ', '#faq']], 'Talk to sales', '#contact'),
      { blockId: 'pricing-table', props: { intro: 'Start free. Upgrade when you grow.' } },
      { blockId: 'faq', props: { title: 'Pricing questions', items: [{ question: 'Can I change plans later?', answer: 'Yes, upgrade or downgrade any time; we prorate the difference.' }, { question: 'Do you offer discounts?', answer: 'Non-profits and schools get 50% off. Contact us.' }] } },
      { blockId: 'cta-banner', props: { title: 'Need something custom?', intro: 'Tell us what you need and we will put a plan together.', primaryLabel: 'Contact sales', primaryHref: '#contact' } },
      { blockId: 'form-contact', props: { title: 'Talk to sales' } },
      footer('© 2026 Acme'),
    ],
  },
];

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

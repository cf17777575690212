// gather_requirements: the questions worth asking before building a page of a given kind, so the
// assistant asks once instead of guessing and redeploying.
import { TEMPLATES } from './templates.js';

export const PAGE_KINDS = ['waitlist', 'contact', 'rsvp', 'survey', 'newsletter', 'landing', 'link-in-bio', 'event', 'portfolio', 'pricing', 'other'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export interface Question {
  id: string;
  question: string;
  /** Why it matters, so the assistant can decide whether the conversation already answered it. */
  why: string;
}

const q = (id: string, question: string, why: string): Question => ({ id, question, why });

const COMMON: Question[] = [
  q('name', 'What is the name of the product, event, person or organisation?', 'It is the page title, the brand in the nav and the first thing visitors read.'),
  q('goal', 'What should a visitor do on this page?', 'Decides the main button and which form, if any, the page needs.'),
  q('audience', 'Who is it for?', 'Sets the tone of the copy and which details matter to readers.'),
  q('look', 'Any preferred colours or feel (clean, dark, warm, playful, bold, minimal)?', 'Picks the style preset; list_styles shows them.'),
  q('language', 'Which language should the page be in?', 'Sets the copy and the page lang attribute used by screen readers.'),
];

const BY_KIND: Record<PageKind, Question[]> = {
  waitlist: [
    q('pitch', 'In one sentence, what does it do and for whom?', 'Becomes the headline and subtitle.'),
    q('benefits', 'What are the three main benefits?', 'Fills the feature cards.'),
    q('fields', 'Only an email, or also name or other details?', 'Every extra field lowers sign-ups; ask before adding one.'),
    q('launch', 'Is there a launch date to show?', 'A date can drive a countdown block.'),
  ],
  contact: [
    q('fields', 'Besides name, email and message, do you need phone, company or a topic choice?', 'Decides the form fields.'),
    q('channels', 'Which other ways to reach you should be shown (email, phone, address)?', 'Fills the contact details block.'),
    q('response', 'How fast do you reply?', 'Setting expectations reduces follow-ups.'),
  ],
  rsvp: [
    q('event', 'What is the occasion, the date, time and place?', 'Fills the event details.'),
    q('deadline', 'By when should people reply?', 'Shown above the form.'),
    q('fields', 'Do you need guest counts, plus-ones, meal choices or dietary needs?', 'Decides the RSVP form fields.'),
  ],
  survey: [
    q('subject', 'What is the feedback about (an event, a product, a service)?', 'Frames the questions.'),
    q('questions', 'Which questions must be asked, and which answers are ratings, choices or free text?', 'Decides the field types.'),
    q('anonymous', 'Should answers be anonymous, or ask for an email?', 'Changes whether an email field appears.'),
  ],
  newsletter: [
    q('topic', 'What is the newsletter about and how often does it go out?', 'Becomes the headline and promise.'),
    q('samples', 'Are there past issues or readers numbers to show?', 'Social proof raises sign-ups.'),
  ],
  landing: [
    q('pitch', 'In one sentence, what does it do and for whom?', 'Becomes the hero.'),
    q('features', 'What are the key features or benefits (three to six)?', 'Fills the features section.'),
    q('proof', 'Any numbers, customer names or quotes you can share?', 'Fills stats, logos and testimonials; never invent them.'),
    q('pricing', 'Should prices be shown? Which plans?', 'Decides whether a pricing table is included.'),
    q('faq', 'What do people usually ask before buying?', 'Fills the FAQ.'),
  ],
  'link-in-bio': [
    q('bio', 'What short bio should appear under your name?', 'The profile block shows it.'),
    q('links', 'Which links, in which order, with which labels?', 'The link buttons are the whole page.'),
    q('signup', 'Should visitors be able to subscribe by email?', 'Adds a sign-up form.'),
  ],
  event: [
    q('when', 'When does it start (date, time and time zone) and end?', 'Drives the countdown and details.'),
    q('where', 'Where is it, or is it online?', 'Fills the details block.'),
    q('programme', 'What is on the programme?', 'Fills the schedule steps.'),
    q('registration', 'What should registration ask for, and is there a capacity?', 'Decides the form fields.'),
  ],
  portfolio: [
    q('projects', 'Which projects should be shown, with a sentence and link for each?', 'Fills the gallery.'),
    q('about', 'What should the about section say?', 'Fills the text block.'),
    q('contact', 'How should clients reach you?', 'Decides the contact form.'),
  ],
  pricing: [
    q('plans', 'Which plans, prices, billing periods and features?', 'Fills the pricing table; never invent prices.'),
    q('featured', 'Which plan should be highlighted?', 'Marks the featured tier.'),
    q('faq', 'What billing questions come up (refunds, discounts, trials)?', 'Fills the FAQ.'),
  ],
  other: [
    q('sections', 'What sections should the page have, top to bottom?', 'Maps to blocks; list_blocks shows them.'),
    q('form', 'Does the page need a form? What should it ask?', 'Decides the form block and fields.'),
  ],
};

export interface Requirements {
  kind: PageKind;
  questions: Question[];
  suggested_template: string | null;
  suggested_style: string;
}

export function requirementsFor(kind: PageKind): Requirements {
  const template = TEMPLATES.find((t) => t.id === kind);
  return {
    kind,
    questions: [...COMMON, ...BY_KIND[kind]],
    suggested_template: template?.id ?? null,
    suggested_style: template?.style ?? 'clean',
  };
}

// Form blocks. Every form posts to {{SUBMIT_URL}} (replaced at deploy time with the site's submit
// endpoint) and carries the _hp honeypot: off-screen, out of the tab order and hidden from
// assistive technology, so only bots fill it and the platform drops those submissions.
import { AppError } from '../../errors.js';
import { esc } from '../html.js';
import { POW_NOTE } from '../pow-widget.js';
import type { PropRecord, Props, PropSpecs } from '../props.js';
import { anchorAttr, paragraph } from './shared.js';
import { splitList } from './stats-pricing.js';
import { defineBlock, type RenderContext } from './types.js';

export const FIELD_TYPES = ['text', 'email', 'tel', 'url', 'number', 'date', 'textarea', 'select', 'radio', 'checkbox'] as const;

const AUTOCOMPLETE: Record<string, string> = { name: 'name', email: 'email', phone: 'tel', tel: 'tel', company: 'organization' };

const field = (name: string, label: string, type: (typeof FIELD_TYPES)[number], required: boolean, options = ''): PropRecord => ({ name, label, type, required, options });

function fieldsProp(def: PropRecord[]): PropSpecs[string] {
  return {
    type: 'list',
    description: 'Form fields in order. radio/select/checkbox take options separated by semicolons; a checkbox without options is one yes/no box',
    default: def,
    item: {
      name: { type: 'text', description: 'Field name in the submission (letters, digits, _ and -)', default: 'field' },
      label: { type: 'text', description: 'Visible label', default: 'Field' },
      type: { type: 'choice', description: 'Input type', default: 'text', options: FIELD_TYPES },
      required: { type: 'boolean', description: 'Must be filled in', default: false },
      options: { type: 'text', description: 'Choices for radio, select and checkbox, separated by semicolons', default: '' },
    },
    max: 30,
  };
}

function renderField(f: Props, ctx: RenderContext): string {
  const name = f.text('name');
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new AppError('invalid_input', `Form field name "${name}" is not usable: start with a letter, then letters, digits, _ or - (at most 64).`);
  }
  const id = ctx.id(`f-${name}`);
  const type = f.text('type');
  const req = f.bool('required');
  const reqAttr = req ? ' required' : '';
  const mark = req ? ' <span class="req">(required)</span>' : '';
  const label = `<label for="${id}">${esc(f.text('label'))}${mark}</label>`;
  const options = splitList(f.text('options'));
  const auto = AUTOCOMPLETE[name.toLowerCase()] ?? (type === 'email' ? 'email' : type === 'tel' ? 'tel' : '');
  const autoAttr = auto ? ` autocomplete="${auto}"` : '';
  if ((type === 'radio' || type === 'checkbox') && options.length > 0) {
    const inputs = options
      .map((o, i) => `<label class="choice"><input type="${type}" name="${esc(name)}" value="${esc(o)}"${type === 'radio' && req && i === 0 ? ' required' : ''}> ${esc(o)}</label>`)
      .join('');
    return `<fieldset><legend>${esc(f.text('label'))}${mark}</legend>${inputs}</fieldset>`;
  }
  switch (type) {
    case 'checkbox':
      return `<label class="choice" for="${id}"><input type="checkbox" id="${id}" name="${esc(name)}" value="yes"${reqAttr}> ${esc(f.text('label'))}${mark}</label>`;
    case 'textarea':
      return `<div class="field">${label}<textarea id="${id}" name="${esc(name)}" rows="4"${reqAttr}></textarea></div>`;
    case 'select':
      return (
        `<div class="field">${label}<select id="${id}" name="${esc(name)}"${reqAttr}><option value="">Choose…</option>` +
        options.map((o) => `<option>${esc(o)}</option>`).join('') +
        `</select></div>`
      );
    case 'radio':
      throw new AppError('invalid_input', `Form field "${name}" is a radio group without options: give options separated by semicolons.`);
    default:
      return `<div class="field">${label}<input type="${type}" id="${id}" name="${esc(name)}"${autoAttr}${reqAttr}></div>`;
  }
}

export function renderForm(p: Props, ctx: RenderContext, inline: boolean): string {
  const fields = p.list('fields');
  if (fields.length === 0) throw new AppError('invalid_input', 'A form needs at least one field in "fields".');
  const names = fields.map((f) => f.text('name'));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new AppError('invalid_input', `Two form fields are named "${dup}"; give each field its own name.`);
  if (names.includes('_hp')) throw new AppError('invalid_input', 'The field name "_hp" is reserved for the spam honeypot; rename the field.');
  const hp = ctx.id('hp');
  const honeypot = `<div class="hp" aria-hidden="true"><label for="${hp}">Leave this field empty</label><input type="text" id="${hp}" name="_hp" tabindex="-1" autocomplete="off"></div>`;
  const button = `<button class="btn" type="submit">${esc(p.text('submitLabel'))}</button>`;
  const body = fields.map((f) => renderField(f, ctx)).join('');
  const pow = p.text('form_protection') === 'pow';
  return (
    `<form class="form${inline ? ' inline-form' : ''}" action="{{SUBMIT_URL}}" method="post"${pow ? ' data-pow' : ''}>` +
    `${body}${honeypot}${inline ? button : `<div>${button}</div>`}${pow ? POW_NOTE : ''}</form>${paragraph(p.text('note'), 'small muted')}`
  );
}

const formBlock = (id: string, description: string, title: string, intro: string, submitLabel: string, fields: PropRecord[], inline = false, anchor = 'signup') =>
  defineBlock({
    id,
    category: 'forms',
    description,
    form: true,
    props: {
      anchor: { type: 'text', description: 'Section id for in-page links', default: anchor },
      title: { type: 'text', description: 'Heading above the form', default: title },
      intro: { type: 'text', description: 'Sentence under the heading; empty hides it', default: intro },
      fields: fieldsProp(fields),
      submitLabel: { type: 'text', description: 'Submit button text', default: submitLabel },
      note: { type: 'text', description: 'Small print under the form (privacy, what happens next); empty hides it', default: '' },
      form_protection: {
        type: 'choice',
        description: 'pow: the form solves a proof of work before it posts (inline, no external request); set form_protection "pow" with update_form_settings too',
        default: 'none',
        options: ['none', 'pow'],
      },
    },
    render: (p, ctx) =>
      `<section class="section${inline ? ' center' : ''}"${anchorAttr(p)}><div class="wrap narrow">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}${renderForm(p, ctx, inline)}</div></section>`,
  });

export const formBlocks = [
  formBlock('form-signup', 'Email sign-up on one line (name optional), for waitlists and newsletters.', 'Join the waitlist', 'Be the first to know when we launch.', 'Join', [field('email', 'Email address', 'email', true)], true),
  formBlock('form-contact', 'Contact form: name, email and message.', 'Get in touch', 'We reply within one working day.', 'Send message', [
    field('name', 'Your name', 'text', true),
    field('email', 'Email address', 'email', true),
    field('message', 'Message', 'textarea', true),
  ], false, 'contact'),
  formBlock('form-rsvp', 'RSVP form: name, email, attending yes/no, number of guests, dietary needs.', 'RSVP', 'Please reply by the date on your invitation.', 'Send RSVP', [
    field('name', 'Full name', 'text', true),
    field('email', 'Email address', 'email', true),
    field('attending', 'Will you attend?', 'radio', true, 'Yes, I will be there; Sorry, I cannot come'),
    field('guests', 'Number of guests including you', 'number', false),
    field('dietary', 'Dietary requirements', 'textarea', false),
  ], false, 'rsvp'),
  formBlock('form-survey', 'Feedback survey: a 1–5 rating, what worked, what to improve, optional email.', 'Tell us what you think', 'Two minutes of your time helps us a lot.', 'Send feedback', [
    field('rating', 'How would you rate your experience?', 'radio', true, '1 – Poor; 2; 3; 4; 5 – Excellent'),
    field('liked', 'What did you like?', 'textarea', false),
    field('improve', 'What should we improve?', 'textarea', false),
    field('email', 'Email, if you would like a reply', 'email', false),
  ], false, 'feedback'),
  formBlock('form', 'A form with any fields you list (text, email, tel, url, number, date, textarea, select, radio, checkbox).', 'Apply', '', 'Submit', [
    field('name', 'Name', 'text', true),
    field('email', 'Email address', 'email', true),
    field('topic', 'Topic', 'select', false, 'General; Partnership; Press'),
    field('updates', 'Send me occasional updates', 'checkbox', false),
  ], false, 'form'),
];

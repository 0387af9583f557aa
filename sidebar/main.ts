import type { ClientSettings, SettingsForm, SidebarData } from '../src/api';
import type { Channel } from '../src/domain/channels';
import type { DepartmentContact, People } from '../src/sheets/people';
import { nextQuestion, QUESTIONS, type ClassifyAnswers } from '../src/domain/classify';
import { INPUT_FIELDS, LIMITS, validateEntry, type InputField } from '../src/domain/entry';
import { DEPLOYMENT_STATUSES } from '../src/domain/schema';
import { normaliseTier, tierLevel } from '../src/domain/tiers';
import type { MyProject, QueueItem, RegisterForm, ReviewQueue } from '../src/sheets/projects';
import { alertBox, badge, button, el } from './dom';
import { call, failureMessage } from './server';
import './styles.css';

type Panel = 'register' | 'classify' | 'mine' | 'reviews' | 'settings';
declare global {
  interface Window {
    GP_PANEL?: Panel;
  }
}

const app = document.getElementById('app')!;
let data: SidebarData;
let preset: { tier?: string } = {};

function show(...nodes: Node[]): void {
  // The security team sees, on every panel, when the add-on's background work is in trouble.
  const watchdog =
    data?.isSecurityTeam && data.health.length > 0
      ? [
          el(
            'div',
            { class: 'banner warning', role: 'status' },
            ...data.health.map((h) => el('p', {}, h)),
          ),
        ]
      : [];
  const [first, ...rest] = nodes;
  app.replaceChildren(...(first ? [first, ...watchdog, ...rest] : watchdog));
}

function nav(current: Panel): HTMLElement {
  const tabs: [Panel, string][] = [
    ['register', 'Register'],
    ['classify', 'Can I use AI?'],
    ['mine', 'My projects'],
  ];
  if (data.isSecurityTeam) tabs.push(['reviews', 'Reviews']);
  return el(
    'nav',
    { class: 'tabs', 'aria-label': 'Governed Path' },
    ...tabs.map(([panel, label]) => {
      const b = button(label, () => open(panel), panel === current ? 'tab active' : 'tab');
      if (panel === current) b.setAttribute('aria-current', 'page');
      return b;
    }),
  );
}

function open(panel: Panel): void {
  const render = { register, classify, mine, reviews, settings }[panel];
  void render();
}

// ------------------------------------------------------------------ register

const FIELD_IDS: Record<InputField, keyof RegisterForm> = {
  'Creator Email': 'creatorEmail',
  Department: 'department',
  Project: 'project',
  'Business Purpose': 'businessPurpose',
  'Data Tier': 'dataTier',
  'Data Stores': 'dataStores',
  'AI Tool': 'aiTool',
  'AI Tool Version': 'aiToolVersion',
  'Deployment Status': 'deploymentStatus',
};

function labelled(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return el(
    'div',
    { class: 'field', id: `field-${id}` },
    el('label', { for: id }, label),
    control,
    hint ? el('div', { class: 'hint', id: `${id}-hint` }, hint) : null,
    el('div', { class: 'error', id: `${id}-error`, role: 'status' }),
  );
}

function toolHint(tool: string, tierWord: string): string {
  const tier = normaliseTier(tierWord);
  if (!tier) return 'Choose a data tier to see which tools are approved for it.';
  const level = tierLevel(tier);
  if (level === 4) return 'No AI tool may be used with Tier 4 data.';
  if (level === 1) return 'Any AI tool may be used with Tier 1 data.';
  const approved = data.approvedByTier[level] ?? [];
  const name = tool.trim().toLowerCase();
  if (name && approved.some((t) => t.toLowerCase() === name))
    return `✓ ${tool.trim()} is approved for ${tier}.`;
  const list = approved.length ? approved.join(', ') : 'none yet (ask the security team)';
  return name
    ? `${tool.trim()} is not approved for ${tier}. Approved: ${list}.`
    : `Approved for ${tier}: ${list}.`;
}

function register(): void {
  const form = el('form', { novalidate: '', 'aria-label': 'Register an AI project' });
  const input = (id: string, attrs: Record<string, string> = {}) =>
    el('input', { id, name: id, ...attrs });
  const email = input('creatorEmail', { type: 'email', autocomplete: 'email', value: data.user });
  const department =
    data.departments.length > 0
      ? el(
          'select',
          { id: 'department' },
          el('option', { value: '' }, 'Choose…'),
          ...data.departments.map((d) => el('option', { value: d }, d)),
        )
      : input('department', { autocomplete: 'organization-title' });
  const project = input('project', { maxlength: String(LIMITS.project) });
  const purpose = el('textarea', {
    id: 'businessPurpose',
    rows: '2',
    maxlength: String(LIMITS.purpose),
  });
  const counter = el('span', { class: 'counter' }, `0/${LIMITS.purpose}`);
  const tiers = el(
    'fieldset',
    { class: 'tiers', id: 'dataTier' },
    el('legend', {}, 'Data tier'),
    ...data.tiers.map((t) =>
      el(
        'label',
        { class: `tier-option tier-${t.level}` },
        el('input', {
          type: 'radio',
          name: 'dataTier',
          value: t.tier,
          ...(preset.tier === t.tier ? { checked: '' } : {}),
        }),
        el('span', {}, el('strong', {}, t.tier), el('small', {}, t.summary)),
      ),
    ),
  );
  const notSure = button('Not sure? Answer three questions', () => open('classify'), 'link');
  const stores = el(
    'div',
    { class: 'stores', id: 'dataStores', role: 'group', 'aria-label': 'Data stores' },
    ...(data.dataStores.length === 0
      ? [el('p', { class: 'muted' }, 'No data stores are listed yet.')]
      : data.dataStores.map((s) =>
          el(
            'label',
            { class: 'store' },
            el('input', { type: 'checkbox', value: s.name }),
            el('span', {}, s.name),
            s.tier ? el('small', { class: 'store-tier' }, s.tier.replace(/ - .*/, '')) : null,
          ),
        )),
  );
  const toolList = el(
    'datalist',
    { id: 'tools' },
    ...data.tools.map((t) => el('option', { value: t.tool })),
  );
  const tool = input('aiTool', { list: 'tools', autocomplete: 'off' });
  const version = input('aiToolVersion', { placeholder: 'e.g. 1.0, 4o, Pro' });
  const status = el(
    'select',
    { id: 'deploymentStatus' },
    ...DEPLOYMENT_STATUSES.map((s) => el('option', { value: s }, s)),
  );
  const submit = el('button', { type: 'submit', class: 'primary' }, 'Register project');
  // Clicking submit straight from a field would show that field's error on blur and move the
  // button under the pointer before the click lands; keeping focus put avoids the lost click.
  submit.addEventListener('mousedown', (e) => e.preventDefault());
  const banner = el('div', { id: 'form-banner' });

  const read = (): RegisterForm => ({
    creatorEmail: email.value,
    department: (department as HTMLInputElement).value,
    project: project.value,
    businessPurpose: purpose.value,
    dataTier:
      (form.querySelector('input[name="dataTier"]:checked') as HTMLInputElement | null)?.value ??
      '',
    dataStores: [...stores.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value),
    aiTool: tool.value,
    aiToolVersion: version.value,
    deploymentStatus: status.value,
  });

  const touched = new Set<string>();
  let tried = false; // after a submit attempt every problem stays visible
  const check = (all: boolean): boolean => {
    if (all) tried = true;
    const f = read();
    const raw = Object.fromEntries(
      INPUT_FIELDS.map((field) => [
        field,
        field === 'Data Stores' ? f.dataStores.join(', ') : f[FIELD_IDS[field]],
      ]),
    );
    const { problems } = validateEntry(raw, data.departments);
    for (const field of INPUT_FIELDS) {
      const id = FIELD_IDS[field];
      const problem = problems.find((p) => p.startsWith(field));
      const show = tried || touched.has(id);
      const box = document.getElementById(`${id}-error`);
      if (box) box.textContent = show && problem ? problem : '';
      document.getElementById(id)?.setAttribute('aria-invalid', show && problem ? 'true' : 'false');
    }
    counter.textContent = `${purpose.value.length}/${LIMITS.purpose}`;
    document.getElementById('aiTool-hint')!.textContent = toolHint(tool.value, f.dataTier);
    return problems.length === 0;
  };
  form.addEventListener('input', (e) => {
    touched.add((e.target as HTMLElement).id || (e.target as HTMLInputElement).name);
    check(false);
  });
  form.addEventListener('focusout', (e) => {
    const id = (e.target as HTMLElement).id;
    if (id) touched.add(id);
    check(false);
  });

  let sending = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (sending) return; // a double-click registers once
    banner.replaceChildren();
    if (!check(true)) {
      (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
      banner.append(alertBox('Some details need fixing: see the messages above.'));
      return;
    }
    sending = true;
    submit.disabled = true;
    submit.textContent = 'Registering…';
    call('registerProject', read())
      .then((result) => {
        if (!result.id) {
          banner.replaceChildren(alertBox(result.checks.join(' ')));
          return;
        }
        preset = {};
        const name = project.value.trim().toLowerCase();
        data.found = (data.found ?? []).filter((f) => f.name.trim().toLowerCase() !== name);
        show(nav('register'), registered(result));
      })
      .catch((error) => banner.replaceChildren(alertBox(failureMessage(error))))
      .finally(() => {
        sending = false;
        submit.disabled = false;
        submit.textContent = 'Register project';
      });
  });

  form.append(
    labelled('creatorEmail', 'Your work email', email),
    labelled('department', 'Department', department),
    labelled('project', 'Project name', project),
    labelled('businessPurpose', 'Business purpose (one sentence)', el('div', {}, purpose, counter)),
    el(
      'div',
      { class: 'field' },
      tiers,
      notSure,
      el('div', { class: 'error', id: 'dataTier-error', role: 'status' }),
    ),
    el(
      'div',
      { class: 'field' },
      el('div', { class: 'label' }, 'Data stores it touches (optional)'),
      stores,
    ),
    labelled('aiTool', 'AI tool', el('div', {}, tool, toolList), toolHint('', preset.tier ?? '')),
    labelled('aiToolVersion', 'AI tool version', version),
    labelled('deploymentStatus', 'Deployment status', status),
    banner,
    submit,
  );
  show(
    nav('register'),
    el('h1', {}, 'Register an AI project'),
    el('p', { class: 'muted' }, 'Takes a minute. Tier 1–2 projects are approved instantly.'),
    foundProjects(project, purpose, check),
    form,
  );
}

/**
 * Issue 18: projects the security team found with this person as owner and nobody registered.
 * "Register this" fills the project's name in and leaves the purpose (theirs to say) in focus.
 */
function foundProjects(
  project: HTMLInputElement,
  purpose: HTMLTextAreaElement,
  check: (all: boolean) => boolean,
): Node {
  const found = data.found ?? [];
  if (found.length === 0) return document.createTextNode('');
  const list = el(
    'ul',
    { class: 'found-list' },
    ...found.map((f) => {
      const item = el(
        'li',
        { class: 'found' },
        el('strong', {}, f.name),
        el(
          'div',
          { class: 'small muted' },
          f.source,
          f.found
            ? el('span', { class: 'nowrap' }, `${f.source ? ' · ' : ''}found ${f.found}`)
            : null,
          /^https:\/\//i.test(f.link) ? ' · ' : '',
          /^https:\/\//i.test(f.link)
            ? el('a', { href: f.link, target: '_blank', rel: 'noopener noreferrer' }, 'Open')
            : null,
        ),
      );
      const use = button(
        'Register this',
        () => {
          project.value = f.name;
          project.dispatchEvent(new Event('input', { bubbles: true }));
          list.querySelectorAll('li').forEach((li) => li.classList.remove('chosen'));
          item.classList.add('chosen');
          check(false);
          purpose.focus();
          purpose.scrollIntoView({ block: 'nearest' });
        },
        'small-button',
      );
      use.setAttribute('aria-label', `Register ${f.name}`);
      item.append(use);
      return item;
    }),
  );
  return el(
    'section',
    { class: 'card found-projects', 'aria-labelledby': 'found-heading' },
    el('h2', { id: 'found-heading' }, 'Projects the security team found for you'),
    el(
      'p',
      { class: 'small muted' },
      'Not registered yet. Register one in a minute: its name is filled in for you.',
    ),
    list,
  );
}

function registered(result: {
  id: string | null;
  approval: string;
  checks: string[];
  reviewDue: string | null;
}): HTMLElement {
  const next: Record<string, string> = {
    Approved: 'You are good to go: the security team has been told, nothing else to do.',
    'In Review': `A security review is open${result.reviewDue ? ` and due ${result.reviewDue}` : ''}. Until then, don't process confidential data with AI; production also needs a threat model.`,
    Blocked:
      'Regulated data may not be used with any AI tool. Build and test with synthetic data instead, or talk to the security team.',
    'Needs Info': 'The project is recorded, but it is not approved yet: see why below.',
  };
  return el(
    'section',
    { class: 'card result', 'aria-live': 'polite' },
    el('h1', {}, `Registered ${result.id}`),
    el('p', {}, badge(result.approval)),
    el('p', {}, next[result.approval] ?? ''),
    el('ul', { class: 'checks' }, ...result.checks.map((c) => el('li', {}, c))),
    button('Register another project', () => open('register'), 'primary'),
  );
}

// ------------------------------------------------------------------ classify

function classify(): void {
  const answers: Partial<ClassifyAnswers> = {};
  const body = el('div', { class: 'wizard' });
  const step = (): void => {
    const key = nextQuestion(answers);
    if (key === null) return void result();
    const q = QUESTIONS.find((x) => x.key === key)!;
    const back =
      Object.keys(answers).length > 0
        ? button(
            'Back',
            () => {
              const keys = Object.keys(answers) as (keyof ClassifyAnswers)[];
              delete answers[keys[keys.length - 1]];
              step();
            },
            'link',
          )
        : null;
    body.replaceChildren(
      el('p', { class: 'step' }, `Question ${QUESTIONS.indexOf(q) + 1} of ${QUESTIONS.length}`),
      el('h2', { class: 'question' }, q.question),
      el('p', { class: 'muted' }, q.hint),
      el(
        'div',
        { class: 'actions' },
        button('Yes', () => ((answers[key] = true), step()), 'primary'),
        button('No', () => ((answers[key] = false), step())),
      ),
      back ?? '',
    );
    (body.querySelector('button.primary') as HTMLButtonElement).focus();
  };
  const result = async (): Promise<void> => {
    body.replaceChildren(el('p', { class: 'muted' }, 'Checking…'));
    try {
      const r = await call('classifyData', answers);
      const level = tierLevel(r.tier);
      body.replaceChildren(
        el(
          'section',
          { class: `card tier-${level}`, 'aria-live': 'polite' },
          el('h2', {}, r.tier),
          el(
            'dl',
            {},
            el('dt', {}, 'AI allowed?'),
            el('dd', {}, r.aiAllowed ? 'Yes' : 'No'),
            el('dt', {}, 'Security review?'),
            el('dd', {}, r.reviewRequired ? 'Yes, 5 business days' : 'No'),
          ),
          el('p', {}, r.advice),
          r.aiAllowed && level > 1
            ? el(
                'div',
                {},
                el('h3', {}, 'Approved tools'),
                r.approvedTools.length
                  ? el(
                      'ul',
                      {},
                      ...r.approvedTools.map((t) =>
                        el(
                          'li',
                          {},
                          el('strong', {}, t.tool),
                          t.howToGetAccess ? ` — ${t.howToGetAccess}` : '',
                        ),
                      ),
                    )
                  : el('p', { class: 'muted' }, 'None yet: ask the security team.'),
              )
            : '',
          el(
            'div',
            { class: 'actions' },
            r.aiAllowed
              ? button(
                  `Register a ${r.tier.replace(/ - .*/, '')} project`,
                  () => ((preset = { tier: r.tier }), open('register')),
                  'primary',
                )
              : '',
            button('Start again', () => classify()),
          ),
        ),
      );
    } catch (error) {
      body.replaceChildren(
        alertBox(failureMessage(error)),
        button('Start again', () => classify()),
      );
    }
  };

  const search = el('input', {
    id: 'store-search',
    type: 'search',
    placeholder: 'Search data stores…',
    'aria-label': 'Search data stores',
  });
  const found = el('ul', { class: 'store-results' });
  const filter = () => {
    const q = search.value.trim().toLowerCase();
    const matches = data.dataStores.filter(
      (s) => !q || s.name.toLowerCase().includes(q) || s.description.toLowerCase().includes(q),
    );
    found.replaceChildren(
      ...(matches.length
        ? matches
            .slice(0, 12)
            .map((s) =>
              el(
                'li',
                {},
                el('span', {}, s.name),
                el(
                  'span',
                  { class: `store-tier tier-${s.tier.slice(5, 6)}` },
                  s.tier || 'not classified',
                ),
              ),
            )
        : [el('li', { class: 'muted' }, 'No data store matches.')]),
    );
  };
  search.addEventListener('input', filter);
  filter();
  show(
    nav('classify'),
    el('h1', {}, 'Can I use AI with this data?'),
    body,
    el('section', { class: 'stores-search' }, el('h2', {}, 'Look up a data store'), search, found),
  );
  step();
}

// ------------------------------------------------------------------ my projects

async function mine(): Promise<void> {
  show(nav('mine'), el('h1', {}, 'My projects'), el('p', { class: 'muted' }, 'Loading…'));
  let projects: MyProject[];
  try {
    projects = await call('listMyProjects');
  } catch (error) {
    return show(nav('mine'), el('h1', {}, 'My projects'), alertBox(failureMessage(error)));
  }
  const card = (p: MyProject): HTMLElement => {
    const actions = el('div', { class: 'actions' });
    const message = el('p', { class: 'small', role: 'status' });
    const act = (action: 'active' | 'decommission', label: string) =>
      button(
        label,
        () => {
          if (action === 'decommission' && !actions.dataset.confirm) {
            actions.dataset.confirm = '1';
            actions.replaceChildren(
              el('span', { class: 'small' }, 'Decommission it? It stays in the registry.'),
              act('decommission', 'Yes, decommission'),
              button('Cancel', () => void mine()),
            );
            return;
          }
          actions
            .querySelectorAll('button')
            .forEach((b) => ((b as HTMLButtonElement).disabled = true));
          call('attestProject', p.id, action)
            .then((updated) => node.replaceWith(card(updated)))
            .catch((error) => {
              message.textContent = failureMessage(error);
              actions
                .querySelectorAll('button')
                .forEach((b) => ((b as HTMLButtonElement).disabled = false));
            });
        },
        action === 'active' ? 'primary' : '',
      );
    if (p.deploymentStatus !== 'Decommissioned')
      actions.append(act('active', 'Still active'), act('decommission', 'Decommission'));
    // The owner set (DESIGN §6.1): who may confirm it and gets its mail; co-owners editable.
    const owners = el(
      'div',
      { class: 'small muted owners' },
      `Owners: ${p.owners.join(', ') || 'none on record'}`,
    );
    const editOwners = button('Co-owners…', () => {
      const input = el('input', {
        type: 'text',
        'aria-label': 'Co-owners (email addresses, separated by commas)',
        placeholder: 'name@company.com, …',
      }) as HTMLInputElement;
      input.value = p.coOwners.join(', ');
      const save = button(
        'Save co-owners',
        () => {
          save.disabled = true;
          const list = input.value
            .split(/[,;\s]+/)
            .map((e) => e.trim())
            .filter((e) => e !== '');
          call('setCoOwners', p.id, list)
            .then((updated) => node.replaceWith(card(updated)))
            .catch((error) => {
              message.textContent = failureMessage(error);
              save.disabled = false;
            });
        },
        'primary',
      );
      owners.replaceChildren(
        el('label', { class: 'small' }, 'Co-owners (they may confirm it and get its mail)', input),
        el(
          'div',
          { class: 'actions' },
          save,
          button('Cancel', () => node.replaceWith(card(p))),
        ),
      );
    });
    actions.append(editOwners);
    const node = el(
      'article',
      { class: 'card project' },
      el('div', { class: 'row' }, el('strong', {}, p.project), badge(p.approval)),
      el(
        'div',
        { class: 'small muted' },
        `${p.id} · ${p.tier} · ${p.tool} · ${p.deploymentStatus}`,
      ),
      p.pending
        ? el('p', { class: 'pending' }, p.pending)
        : el(
            'p',
            { class: 'small muted' },
            p.lastConfirmed ? `Confirmed ${p.lastConfirmed}` : 'Nothing pending.',
          ),
      owners,
      actions,
      message,
    );
    return node;
  };
  // Mails a person need not act on (approvals, late-review apologies, review requests for
  // reviewers) can be turned off; decisions that ask something of them always come.
  const mailBox = el('div', { class: 'mail-pref' });
  const mailCheck = el('input', {
    id: 'mailsOn',
    type: 'checkbox',
    disabled: '',
  }) as HTMLInputElement;
  const mailNote = el('p', { class: 'small muted', role: 'status' });
  mailCheck.addEventListener('change', () => {
    mailCheck.disabled = true;
    call('setMailPreference', !mailCheck.checked)
      .then((r) => {
        mailCheck.checked = !r.mailsOff;
        mailNote.textContent = r.mailsOff
          ? 'Off: you still get mails that ask something of you (changes requested, blocked, needs info, rejected).'
          : 'On.';
      })
      .catch((error) => (mailNote.textContent = failureMessage(error)))
      .finally(() => (mailCheck.disabled = false));
  });
  call('getMailPreference')
    .then((r) => {
      mailCheck.checked = !r.mailsOff;
      mailCheck.disabled = false;
    })
    .catch(() => (mailNote.textContent = 'Your mail preference could not be read.'));
  mailBox.append(
    el(
      'label',
      { class: 'check' },
      mailCheck,
      ' Email me about approvals and other news I do not have to act on',
    ),
    mailNote,
  );
  show(
    nav('mine'),
    el('h1', {}, 'My projects'),
    projects.length === 0
      ? el('p', { class: 'muted' }, `Nothing registered under ${data.user} yet.`)
      : el('div', {}, ...projects.map(card)),
    mailBox,
  );
}

// ------------------------------------------------------------------ review queue

/** `notice`: what the last action said (a reassignment), shown above the reloaded queue. */
async function reviews(notice = ''): Promise<void> {
  show(nav('reviews'), el('h1', {}, 'Review queue'), el('p', { class: 'muted' }, 'Loading…'));
  let queue: ReviewQueue;
  try {
    queue = await call('listReviewQueue');
  } catch (error) {
    return show(nav('reviews'), el('h1', {}, 'Review queue'), alertBox(failureMessage(error)));
  }
  const card = (r: QueueItem): HTMLElement => {
    const decision = el(
      'select',
      { 'aria-label': `Decision for ${r.reviewId}` },
      el('option', { value: 'Approved' }, 'Approve'),
      el('option', { value: 'Changes Requested' }, 'Request changes'),
      el('option', { value: 'Rejected' }, 'Reject'),
    );
    const note = el('textarea', {
      rows: '2',
      'aria-label': `Note for ${r.reviewId}`,
      placeholder: 'Note for the creator',
    });
    const threat = el('input', {
      type: 'url',
      'aria-label': `Threat model link for ${r.reviewId}`,
      placeholder: 'Threat model link (https://…)',
    });
    const message = el('p', { class: 'small', role: 'status' });
    const gate = r.needsThreatModel === true;
    const decide = el(
      'button',
      { type: 'button', class: 'primary' },
      gate ? 'Add threat model' : 'Record decision',
    );
    decide.addEventListener('click', () => {
      decide.disabled = true;
      call('decideReview', r.reviewId, {
        registryId: r.registryId,
        decision: gate ? 'Approved' : decision.value,
        note: note.value,
        threatModel: threat.value,
      })
        .then((res) => {
          message.textContent = gate
            ? `${res.reviewId}: threat model added. ${res.registryId} is now ${res.approval}.`
            : res.reviewStatus === 'First Approval'
              ? `${res.reviewId}: First Approval given. A second security-team member must approve it before Production; ${res.registryId} is now ${res.approval}.`
              : `${res.reviewId}: ${decision.value}. ${res.registryId} is now ${res.approval}.`;
          setTimeout(() => void reviews(), 1200);
        })
        .catch((error) => {
          message.textContent = failureMessage(error);
          decide.disabled = false;
        });
    });
    // Issue 17: who has it, where it stands in its lifecycle, and giving it to someone else.
    const assigned = el(
      'div',
      { class: `small assigned${r.assignedToMe ? ' mine' : ''}` },
      r.assignedToMe
        ? 'Assigned to you'
        : r.assignedTo
          ? `Assigned to ${r.assignedTo}`
          : 'Not assigned',
    );
    const stage =
      r.status === 'Re-review Due'
        ? el(
            'p',
            { class: 'small stage' },
            badge('Re-review Due'),
            ' Re-review: approval expired; the project keeps running.',
          )
        : r.status === 'First Approval'
          ? el(
              'p',
              { class: 'small stage' },
              badge('First Approval'),
              ` First approval by ${r.firstApprover || 'someone'} — ${
                r.secondApprovers.length > 0
                  ? `a second approval may come from: ${r.secondApprovers.join(', ')}`
                  : 'nobody else on the team can give it'
              }.`,
            )
          : null;
    // Nobody reviews an entry they created (the server refuses the owners too), and a first
    // approval's second comes from someone else.
    const others = queue.team.filter(
      (m) =>
        m.toLowerCase() !== r.assignedTo.toLowerCase() &&
        m.toLowerCase() !== r.creator.trim().toLowerCase() &&
        m.toLowerCase() !== r.firstApprover.toLowerCase(),
    );
    const reassign =
      others.length > 0
        ? (() => {
            const to = el(
              'select',
              { 'aria-label': `Reassign ${r.reviewId} to` },
              ...others.map((m) => el('option', { value: m }, m)),
            );
            const go = button('Reassign', () => {
              go.disabled = true;
              call('reassignReview', r.reviewId, to.value)
                .then((res) => void reviews(res.message))
                .catch((error) => {
                  message.textContent = failureMessage(error);
                  go.disabled = false;
                });
            });
            return el(
              'div',
              { class: 'reassign' },
              el('div', { class: 'small muted' }, 'Reassign to another member'),
              el('div', { class: 'row' }, to, go),
            );
          })()
        : null;
    return el(
      'article',
      { class: `card review${r.overdue ? ' overdue' : ''}${r.assignedToMe ? ' mine' : ''}` },
      el(
        'div',
        { class: 'row' },
        el('strong', {}, r.project),
        gate
          ? badge('Needs threat model')
          : r.overdue
            ? badge('Overdue')
            : el('span', { class: 'small muted' }, `due ${r.due ?? '?'}`),
      ),
      el('div', { class: 'small muted' }, `${r.reviewId} · ${r.registryId} · ${r.creator}`),
      assigned,
      stage,
      el('p', { class: 'small' }, r.purpose),
      el(
        'div',
        { class: 'small muted' },
        `${r.tier} · ${r.tool} · ${r.deploymentStatus}${r.dataStores ? ` · ${r.dataStores}` : ''}${gate ? '' : ` · open ${r.businessDaysOpen} business day(s)`}`,
      ),
      ...(gate
        ? [
            el(
              'p',
              { class: 'small pending' },
              'Approved, and now in Production without a threat model: it waits at the production gate until the link is added.',
            ),
          ]
        : [decision]),
      note,
      threat,
      decide,
      reassign,
      message,
    );
  };
  show(
    nav('reviews'),
    el('h1', {}, 'Review queue'),
    ...(notice ? [alertBox(notice, 'info')] : []),
    ...(queue.mine > 0
      ? [el('p', { class: 'mine-count' }, `${queue.mine.toLocaleString('en-US')} assigned to you`)]
      : []),
    queue.total === 0
      ? el('p', { class: 'muted' }, 'No open reviews. Nice.')
      : el(
          'div',
          {},
          ...(queue.total > queue.items.length
            ? [
                el(
                  'p',
                  { class: 'small muted' },
                  `The ${queue.items.length} most urgent of ${queue.total.toLocaleString('en-US')} open reviews. Each decision brings up the next.`,
                ),
              ]
            : []),
          ...queue.items.map(card),
        ),
  );
}

// ------------------------------------------------------------------ settings

async function settings(): Promise<void> {
  document.body.classList.add('in-dialog'); // Settings opens as a dialog, wider than a sidebar
  show(el('h1', {}, 'Settings'), el('p', { class: 'muted' }, 'Loading…'));
  let s: ClientSettings;
  try {
    s = await call('getSettings');
  } catch (error) {
    return show(el('h1', {}, 'Settings'), alertBox(failureMessage(error)));
  }
  const text = (id: string, value: string, attrs: Record<string, string> = {}) =>
    el('input', { id, value, ...attrs });
  const area = (id: string, value: string[]) => {
    const t = el('textarea', { id, rows: '3' });
    t.value = value.join('\n');
    return t;
  };
  const check = (id: string, on: boolean) =>
    el('input', { id, type: 'checkbox', ...(on ? { checked: '' } : {}) });
  const f = {
    securityTeam: area('securityTeam', s.securityTeam),
    slackWebhookUrl: text('slackWebhookUrl', s.slackWebhookUrl, {
      autocomplete: 'off',
      placeholder: 'https://hooks.slack.com/services/…',
    }),
    slackChannel: text('slackChannel', s.slackChannel),
    estimatedProjects: text(
      'estimatedProjects',
      s.estimatedProjects === null ? '' : String(s.estimatedProjects),
      { inputmode: 'numeric' },
    ),
    reviewSlaDays: text('reviewSlaDays', String(s.reviewSlaDays), { inputmode: 'numeric' }),
    holidays: area('holidays', s.holidays),
    timeZone: text('timeZone', s.timeZone, { readonly: 'readonly' }),
    graceDays: text('graceDays', String(s.graceDays), { inputmode: 'numeric' }),
    autoDecommission: check('autoDecommission', s.autoDecommission),
    emailCreators: check('emailCreators', s.emailCreators),
    departments: area('departments', s.departments),
    chatWebhookUrl: text('chatWebhookUrl', s.chatWebhookUrl, {
      autocomplete: 'off',
      placeholder: 'https://chat.googleapis.com/v1/spaces/…',
    }),
    teamsWebhookUrl: text('teamsWebhookUrl', s.teamsWebhookUrl, {
      autocomplete: 'off',
      placeholder: 'https://….logic.azure.com:443/workflows/…',
    }),
    hookSecret: text('hookSecret', s.hookSecret, { autocomplete: 'off', type: 'password' }),
    jiraToken: text('jiraToken', s.jiraToken, { autocomplete: 'off', type: 'password' }),
    allStaffEmail: text('allStaffEmail', s.allStaffEmail, { placeholder: 'everyone@example.com' }),
    surveyUrl: text('surveyUrl', s.surveyUrl ?? '', {
      type: 'url',
      autocomplete: 'off',
      placeholder: 'https://forms.gle/…',
    }),
    approvalMonths: text('approvalMonths', String(s.approvalMonths), { inputmode: 'numeric' }),
    secondApproval: check('secondApproval', s.secondApproval),
    securityLead: text('securityLead', s.securityLead, {
      type: 'email',
      placeholder: 'lead@example.com',
    }),
    assignment: el(
      'select',
      { id: 'assignment' },
      el('option', { value: 'round-robin' }, 'in turn'),
      el('option', { value: 'department' }, 'by department'),
    ),
    reviewerByDepartment: area(
      'reviewerByDepartment',
      Object.entries(s.reviewerByDepartment).map(([d, e]) => `${d}: ${e}`),
    ),
  };
  f.assignment.value = s.assignment;
  f.reviewerByDepartment.placeholder = 'Finance: alex@example.com';
  // Routing: one row per event kind, a box per team channel, and its ticketing webhook.
  const CHANNEL_LABELS: [Channel, string][] = [
    ['slack', 'Slack'],
    ['chat', 'Chat'],
    ['teams', 'Teams'],
  ];
  const routeBoxes = new Map<string, HTMLInputElement>();
  const hookInputs = new Map<string, HTMLInputElement>();
  const routeTable = el(
    'table',
    { class: 'routes', 'aria-label': 'Where each event goes' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'Event'),
        ...CHANNEL_LABELS.map(([, label]) => el('th', {}, label)),
      ),
    ),
    el(
      'tbody',
      {},
      ...s.eventKinds.map(({ kind, name }) => {
        const cells = CHANNEL_LABELS.map(([c, label]) => {
          const box = check(`route-${kind}-${c}`, s.routes[kind].includes(c));
          box.setAttribute('aria-label', `${name} to ${label}`);
          routeBoxes.set(`${kind}|${c}`, box);
          return el('td', {}, box);
        });
        hookInputs.set(
          kind,
          text(`hook-${kind}`, s.hookUrls[kind] ?? '', {
            autocomplete: 'off',
            placeholder: 'https://….service-now.com/… or Jira Automation’s URL',
          }),
        );
        return el('tr', {}, el('td', {}, name), ...cells);
      }),
    ),
  );
  const banner = el('div', { id: 'settings-banner' });
  const save = el('button', { type: 'submit', class: 'primary' }, 'Save');
  const testButton = (channel: Channel, label: string): HTMLButtonElement => {
    const b = button(label, () => {
      b.disabled = true;
      call('sendTestMessage', channel)
        .then((r) => banner.replaceChildren(alertBox(r.message, r.ok ? 'info' : 'error')))
        .catch((error) => banner.replaceChildren(alertBox(failureMessage(error))))
        .finally(() => (b.disabled = false));
    });
    return b;
  };
  const test = testButton('slack', 'Send test message');
  // Onboarding: the guide's decision tree to a new starter.
  const starter = text('newStarter', '', { type: 'email', placeholder: 'new.starter@example.com' });
  const starterBox = el('div', { class: 'starter' });
  const sendGuide = button('Send the guide', () => {
    sendGuide.disabled = true;
    call('sendGuideTo', starter.value)
      .then((r) => {
        starter.value = '';
        starterBox.replaceChildren(alertBox(r.message, 'info'));
      })
      .catch((error) => starterBox.replaceChildren(alertBox(failureMessage(error))))
      .finally(() => (sendGuide.disabled = false));
  });
  // A broken audit chain, and re-anchoring it: two members, one asks and another confirms.
  const chainBox = el('div', { class: 'chain' });
  if (s.chain && !s.chain.ok) {
    const c = s.chain;
    const asked = c.request
      ? `${c.request.by} asked to re-anchor it at ${c.request.at.slice(0, 16).replace('T', ' ')} UTC. Another member confirms.`
      : 'If the rows before it cannot be repaired, two security-team members can re-anchor the chain: one asks, another confirms.';
    const go = button(c.request ? 'Confirm re-anchor' : 'Ask to re-anchor', () => {
      go.disabled = true;
      call('reanchorAuditLog')
        .then((r) => chainBox.replaceChildren(alertBox(r.message, 'info')))
        .catch((error) => {
          chainBox.append(alertBox(failureMessage(error)));
          go.disabled = false;
        });
    });
    chainBox.append(
      alertBox(
        `The Audit Log's chain is broken at row ${c.brokenRow ?? '?'}: ${c.reason ?? 'a row was changed'}. ${asked}`,
      ),
      el('div', { class: 'actions' }, go),
    );
  }
  // Rotating the signing key (DESIGN §6.1), behind a confirmation.
  const keyBox = el('div', { class: 'key' });
  const rotate = button('Rotate signing key…', () => {
    keyBox.replaceChildren(
      el(
        'p',
        { class: 'small' },
        'A new key signs everything from now on; every row is re-sealed (large registries over the next hours). Rotate if the key may have been exposed.',
      ),
      el(
        'div',
        { class: 'actions' },
        button(
          'Rotate now',
          () => {
            keyBox.querySelectorAll('button').forEach((b) => (b.disabled = true));
            call('rotateSigningKey')
              .then((r) => keyBox.replaceChildren(alertBox(r.message, 'info')))
              .catch((error) => keyBox.replaceChildren(alertBox(failureMessage(error))));
          },
          'primary',
        ),
        button('Cancel', () => keyBox.replaceChildren(rotate)),
      ),
    );
  });
  keyBox.append(rotate);
  const form = el(
    'form',
    { novalidate: '', 'aria-label': 'Settings' },
    chainBox,
    labelled('securityTeam', 'Security team (one email per line)', f.securityTeam),
    labelled(
      'slackWebhookUrl',
      'Slack webhook URL',
      f.slackWebhookUrl,
      s.webhookConfigured
        ? 'Set (shown masked). Paste a new URL to replace it, or clear it.'
        : 'Not set: Slack messages wait until you add one.',
    ),
    labelled('slackChannel', 'Slack channel label', f.slackChannel),
    labelled(
      'estimatedProjects',
      'Estimated AI-built projects (adoption denominator)',
      f.estimatedProjects,
    ),
    labelled('reviewSlaDays', 'Review SLA (business days)', f.reviewSlaDays),
    labelled('holidays', 'Holidays (yyyy-mm-dd, one per line)', f.holidays),
    labelled('timeZone', 'Time zone (the spreadsheet’s: File › Settings)', f.timeZone),
    labelled('graceDays', 'Attestation grace days', f.graceDays),
    el(
      'label',
      { class: 'check' },
      f.autoDecommission,
      ' Auto-decommission unconfirmed entries after the grace period',
    ),
    el('label', { class: 'check' }, f.emailCreators, ' Email creators about attestation'),
    labelled('departments', 'Departments (optional, one per line)', f.departments),
    el('h2', {}, 'Reviews'),
    labelled('approvalMonths', 'Tier 3 approvals valid for (months)', f.approvalMonths),
    el(
      'label',
      { class: 'check' },
      f.secondApproval,
      ' Production needs two different security-team members to approve a Tier 3 entry',
    ),
    labelled(
      'securityLead',
      'Security lead (overdue reviews escalate to them)',
      f.securityLead,
      'Optional. Empty: overdue reviews go to the team’s digest only.',
    ),
    labelled('assignment', 'Assign new reviews', f.assignment),
    labelled(
      'reviewerByDepartment',
      'Reviewer by department (one “Department: email” per line)',
      f.reviewerByDepartment,
      'Used when assigning by department; a department not listed is assigned in turn.',
    ),
    el('h2', {}, 'Notifications'),
    labelled(
      'chatWebhookUrl',
      'Google Chat webhook URL',
      f.chatWebhookUrl,
      s.chatWebhookUrl
        ? 'Set (shown masked). Paste a new URL to replace it, or clear it.'
        : 'Optional: a Chat space’s incoming webhook (Apps & integrations › Webhooks).',
    ),
    el('div', { class: 'actions' }, testButton('chat', 'Send test to Chat')),
    labelled(
      'teamsWebhookUrl',
      'Microsoft Teams webhook URL (Workflows)',
      f.teamsWebhookUrl,
      s.teamsWebhookUrl
        ? 'Set (shown masked). Paste a new URL to replace it, or clear it.'
        : 'Optional: Teams › Workflows › “Post to a channel when a webhook request is received”.',
    ),
    el('div', { class: 'actions' }, testButton('teams', 'Send test to Teams')),
    el(
      'p',
      { class: 'small muted' },
      'Each event goes to the channels ticked for it (a channel without a webhook gets nothing). A ticketing webhook receives each event as signed JSON (README: Ticketing).',
    ),
    routeTable,
    el('h2', {}, 'Ticketing webhooks (optional)'),
    el(
      'p',
      { class: 'small muted' },
      'A URL per event kind receives each event as signed JSON: a ServiceNow scripted REST endpoint, Jira Automation’s incoming webhook, or any receiver that checks the signature.',
    ),
    ...s.eventKinds.map(({ kind, name }) => labelled(`hook-${kind}`, name, hookInputs.get(kind)!)),
    labelled(
      'hookSecret',
      'Webhook signing secret (HMAC-SHA256)',
      f.hookSecret,
      'Shared with the receiver, which checks X-Governed-Path-Signature. Write-only.',
    ),
    labelled(
      'jiraToken',
      'Jira Automation secret',
      f.jiraToken,
      'From the rule’s “Incoming webhook” trigger. Write-only.',
    ),
    labelled(
      'allStaffEmail',
      'All-staff address for the monthly decision tree (optional)',
      f.allStaffEmail,
    ),
    el('h2', {}, 'Discovered projects'),
    labelled(
      'surveyUrl',
      'Survey link',
      f.surveyUrl,
      'Invitations to register a discovered project link to it: a short survey on why it had not been registered. Optional; https:// only.',
    ),
    labelled('newStarter', 'Send the decision tree to a new starter', starter),
    el('div', { class: 'actions' }, sendGuide),
    starterBox,
    s.health.length
      ? el('div', { class: 'health' }, ...s.health.map((h) => el('p', { class: 'small' }, h)))
      : '',
    banner,
    el('div', { class: 'actions' }, save, test),
    keyBox,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // "Department: email" lines; the last colon splits (an address has none).
    const reviewerByDepartment: Record<string, string> = {};
    for (const line of f.reviewerByDepartment.value.split('\n')) {
      if (line.trim() === '') continue;
      const at = line.lastIndexOf(':');
      if (at <= 0 || line.slice(0, at).trim() === '') {
        banner.replaceChildren(
          alertBox(
            `Reviewer by department: “${line.trim().slice(0, 80)}” needs a department, a colon and an email address.`,
          ),
        );
        return;
      }
      reviewerByDepartment[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    const survey = f.surveyUrl.value.trim();
    if (survey !== '' && !/^https:\/\/[^\s]+$/i.test(survey)) {
      banner.replaceChildren(
        alertBox(
          'The survey link must be one https:// address (a Google Form, for example), or empty.',
        ),
      );
      f.surveyUrl.focus();
      return;
    }
    save.disabled = true;
    call('saveSettings', {
      securityTeam: f.securityTeam.value.split('\n'),
      slackWebhookUrl: f.slackWebhookUrl.value,
      slackChannel: f.slackChannel.value,
      estimatedProjects: (f.estimatedProjects.value.trim() === ''
        ? null
        : Number(f.estimatedProjects.value)) as number,
      reviewSlaDays: Number(f.reviewSlaDays.value),
      holidays: f.holidays.value.split('\n'),
      timeZone: f.timeZone.value,
      graceDays: Number(f.graceDays.value),
      autoDecommission: f.autoDecommission.checked,
      emailCreators: f.emailCreators.checked,
      departments: f.departments.value.split('\n'),
      chatWebhookUrl: f.chatWebhookUrl.value,
      teamsWebhookUrl: f.teamsWebhookUrl.value,
      hookSecret: f.hookSecret.value,
      jiraToken: f.jiraToken.value,
      allStaffEmail: f.allStaffEmail.value,
      surveyUrl: survey,
      approvalMonths: Number(f.approvalMonths.value),
      secondApproval: f.secondApproval.checked,
      securityLead: f.securityLead.value,
      assignment: f.assignment.value as ClientSettings['assignment'],
      reviewerByDepartment,
      routes: Object.fromEntries(
        s.eventKinds.map(({ kind }) => [
          kind,
          CHANNEL_LABELS.filter(([c]) => routeBoxes.get(`${kind}|${c}`)!.checked).map(([c]) => c),
        ]),
      ) as ClientSettings['routes'],
      hookUrls: Object.fromEntries([...hookInputs].map(([k, i]) => [k, i.value])),
    } as SettingsForm)
      .then((saved) => {
        f.slackWebhookUrl.value = saved.slackWebhookUrl;
        f.chatWebhookUrl.value = saved.chatWebhookUrl;
        f.teamsWebhookUrl.value = saved.teamsWebhookUrl;
        f.hookSecret.value = saved.hookSecret;
        f.jiraToken.value = saved.jiraToken;
        for (const [k, i] of hookInputs)
          i.value = saved.hookUrls[k as keyof typeof saved.hookUrls] ?? '';
        // As the server keeps them (emails lower-cased, departments trimmed).
        f.securityLead.value = saved.securityLead;
        f.surveyUrl.value = saved.surveyUrl ?? '';
        f.reviewerByDepartment.value = Object.entries(saved.reviewerByDepartment)
          .map(([d, e]) => `${d}: ${e}`)
          .join('\n');
        banner.replaceChildren(alertBox('Saved.', 'info'));
      })
      .catch((error) => banner.replaceChildren(alertBox(failureMessage(error))))
      .finally(() => (save.disabled = false));
  });
  show(el('h1', {}, 'Settings'), form, peopleSection(s.departments));
}

/**
 * People (issue 17): each department's named contact, who takes the entries a leaver leaves
 * with no owner, and marking a person as gone. Saved on its own, apart from the settings form.
 */
function peopleSection(departments: string[]): HTMLElement {
  const section = el(
    'section',
    { class: 'people', 'aria-labelledby': 'people-heading' },
    el('h2', { id: 'people-heading' }, 'People'),
  );
  const body = el('div', {}, el('p', { class: 'muted' }, 'Loading…'));
  section.append(body);
  const render = (p: People): void => {
    // Department contacts: a row each, added and removed here, saved together.
    const list = el('datalist', { id: 'contact-departments' });
    list.append(...departments.map((d) => el('option', { value: d })));
    const rows = el('div', { class: 'contacts' });
    let n = 0;
    const addRow = (c: DepartmentContact = { department: '', email: '' }): void => {
      n += 1;
      const department = el('input', {
        class: 'contact-department',
        list: 'contact-departments',
        'aria-label': `Department of contact ${n}`,
        placeholder: 'Department',
        maxlength: '60',
      });
      department.value = c.department;
      const email = el('input', {
        class: 'contact-email',
        type: 'email',
        'aria-label': `Email of contact ${n}`,
        placeholder: 'contact@example.com',
      });
      email.value = c.email;
      const row = el('div', { class: 'contact-row' }, department, email);
      const remove = button('Remove', () => row.remove(), 'link');
      remove.setAttribute('aria-label', `Remove contact ${n}`);
      row.append(remove);
      rows.append(row);
    };
    p.contacts.forEach((c) => addRow(c));
    if (p.contacts.length === 0) addRow();
    const contactsBox = el('div', {});
    const keep = button(
      'Update department contacts',
      () => {
        keep.disabled = true;
        const contacts = [...rows.querySelectorAll('.contact-row')].map((r) => ({
          department: (r.querySelector('.contact-department') as HTMLInputElement).value,
          email: (r.querySelector('.contact-email') as HTMLInputElement).value,
        }));
        call('setDepartmentContacts', contacts)
          .then((saved) => {
            render(saved);
            section
              .querySelector('#contacts-result')
              ?.replaceChildren(
                alertBox(
                  saved.contacts.length === 0
                    ? 'Department contacts updated: none named.'
                    : `Department contacts updated: ${saved.contacts.length} named.`,
                  'info',
                ),
              );
          })
          .catch((error) => {
            contactsBox.replaceChildren(alertBox(failureMessage(error)));
            keep.disabled = false;
          });
      },
      'primary',
    );

    // Marking a person as gone, behind a confirmation.
    const gone = el('input', {
      id: 'personGone',
      type: 'email',
      placeholder: 'name@example.com',
    });
    const goneActions = el('div', { class: 'actions' });
    const goneBox = el('div', { id: 'gone-result' });
    const ask = (): void => {
      const who = gone.value.trim();
      if (who === '') {
        goneBox.replaceChildren(alertBox('Give the email address of the person who left.'));
        return;
      }
      goneBox.replaceChildren();
      goneActions.replaceChildren(
        el(
          'span',
          { class: 'small' },
          `Mark ${who} as gone? Their entries move to a co-owner or their department’s contact.`,
        ),
        button(
          'Yes, mark as gone',
          () => {
            goneActions.querySelectorAll('button').forEach((b) => (b.disabled = true));
            call('markPersonGone', who)
              .then((r) =>
                call('getPeople')
                  .then((fresh) => render(fresh))
                  .catch(() => undefined)
                  .then(() => {
                    section
                      .querySelector('#gone-result')
                      ?.replaceChildren(
                        alertBox(r.message, 'info'),
                        r.moved.length > 0
                          ? el(
                              'ul',
                              { class: 'moved', 'aria-label': 'Entries that changed hands' },
                              ...r.moved.map((m) =>
                                el(
                                  'li',
                                  {},
                                  m.to ? `${m.id} → ${m.to} (${m.how})` : `${m.id}: no owner left`,
                                ),
                              ),
                            )
                          : '',
                      );
                  }),
              )
              .catch((error) => {
                goneBox.replaceChildren(alertBox(failureMessage(error)));
                goneActions.replaceChildren(markButton);
              });
          },
          'primary',
        ),
        button('Cancel', () => goneActions.replaceChildren(markButton)),
      );
    };
    const markButton = button('Mark as gone…', ask);
    goneActions.append(markButton);

    const leavers = [...p.leavers].reverse();
    body.replaceChildren(
      el('h3', {}, 'Department contacts'),
      el(
        'p',
        { class: 'small muted' },
        'When someone leaves, an entry left with no owner goes to its department’s contact, who is told.',
      ),
      list,
      rows,
      el(
        'div',
        { class: 'actions' },
        button('Add a department contact', () => addRow(), ''),
        keep,
      ),
      contactsBox,
      el('div', { id: 'contacts-result' }),
      el('h3', {}, 'Leavers'),
      labelled('personGone', 'Mark a person as gone', gone),
      goneActions,
      goneBox,
      el('h3', {}, 'Recently marked as gone'),
      leavers.length === 0
        ? el('p', { class: 'small muted' }, 'Nobody yet.')
        : el(
            'ul',
            { class: 'leavers' },
            ...leavers
              .slice(0, 20)
              .map((l) => el('li', { class: 'small' }, `${l.email} — ${l.at}, by ${l.by}`)),
          ),
      leavers.length > 20
        ? el(
            'p',
            { class: 'small muted' },
            `And ${leavers.length - 20} earlier (the Audit Log keeps every one).`,
          )
        : '',
    );
  };
  call('getPeople')
    .then(render)
    .catch((error) => body.replaceChildren(alertBox(failureMessage(error))));
  return section;
}

// ------------------------------------------------------------------ start

async function start(): Promise<void> {
  try {
    data = await call('getSidebarData');
  } catch (error) {
    return show(alertBox(failureMessage(error)));
  }
  const panel = window.GP_PANEL ?? 'register';
  open(panel === 'reviews' && !data.isSecurityTeam ? 'reviews' : panel);
}

// The add-on appends the panel name after the page, so wait for the whole document.
if (document.readyState === 'loading')
  document.addEventListener('DOMContentLoaded', () => void start());
else void start();

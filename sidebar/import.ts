import type { ImportDryRun, ImportPreview, ImportProgress, ImportStart } from '../src/api';
import type { PlannedRow } from '../src/domain/inventory';
import { INPUT_FIELDS } from '../src/domain/entry';
import type { ImportJob } from '../src/sheets/inventory';
import { alertBox, badge, button, el } from './dom';
import {
  call,
  deliverInBackground,
  failureMessage,
  type ImportMapping,
  type ImportOptions,
  type ImportSourceInput,
} from './server';

/**
 * Security team › Import an inventory… (issue 18), in a 900 × 680 dialog: choose a source (a
 * sheet of this spreadsheet, or CSV pasted or read from a file), map its columns to the
 * registry's fields, look at the dry run, then import in batches with a progress bar. Every
 * value from the source is set as text (dom.ts), never as markup.
 */

type Show = (...nodes: Node[]) => void;

/** The fields without which an imported row is Needs Info (Data Stores is optional). */
const REQUIRED: readonly string[] = INPUT_FIELDS.filter((f) => f !== 'Data Stores');
/** The fields an import cannot do without: they match duplicates and own the entry. */
const KEY_FIELDS: readonly string[] = ['Project', 'Creator Email'];
/** The decisions in the order the summary shows them (others follow). */
const DECISIONS = ['Approved', 'In Review', 'Needs Info', 'Blocked'];
const DATE_ORDERS: [ImportOptions['dateOrder'], string][] = [
  ['auto', 'Find out from the dates'],
  ['dmy', 'Day first (31/12/2024)'],
  ['mdy', 'Month first (12/31/2024)'],
];

const n = (value: number): string => value.toLocaleString('en-US');
const plural = (count: number, one: string, many = `${one}s`): string =>
  `${n(count)} ${count === 1 ? one : many}`;

/** A, B, … Z, AA, … as the sheet names its columns. */
function columnLetter(index: number): string {
  let s = '';
  for (let i = index + 1; i > 0; i = Math.floor((i - 1) / 26))
    s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

// ------------------------------------------------------------------ the job's columns, kept

/**
 * The server keeps an unfinished import's progress but not its mapping (only a digest of it),
 * so the panel keeps what it sent, to continue without asking again. Storage may be refused
 * (the add-on's frame, a browser setting): then the person maps again and the digest decides.
 */
interface Saved {
  /** The job's id once the server has given one ('' before the first batch answered). */
  jobId: string;
  /** The job's source as the server names it: `sheet "Inventory"`, `pasted CSV`. */
  label: string;
  sheet: string;
  /** For a CSV: the file's name (the text itself is never stored). */
  csvName: string;
  kind: 'sheet' | 'csv';
  mapping: ImportMapping;
  options: ImportOptions;
}
const STORE_KEY = 'governedPath.import';

function loadSaved(job: ImportJob): Saved | null {
  try {
    const s = JSON.parse(window.localStorage.getItem(STORE_KEY) ?? 'null') as Saved | null;
    if (!s || typeof s !== 'object' || typeof s.mapping !== 'object' || !s.options) return null;
    return s.jobId === job.id || (s.jobId === '' && s.label === job.source) ? s : null;
  } catch {
    return null;
  }
}

function keep(saved: Saved | null): void {
  try {
    if (saved) window.localStorage.setItem(STORE_KEY, JSON.stringify(saved));
    else window.localStorage.removeItem(STORE_KEY);
  } catch {
    // Not available here: a resumed import asks for the columns again.
  }
}

// ------------------------------------------------------------------ the panel

export async function importPanel(show: Show): Promise<void> {
  document.body.classList.add('in-dialog', 'import-dialog');
  const title = el('h1', {}, 'Import an inventory');
  show(title, el('p', { class: 'muted' }, 'Loading…'));
  let start: ImportStart;
  try {
    start = await call('startImportPanel');
  } catch (error) {
    return show(title, alertBox(failureMessage(error)));
  }

  const STEPS = ['Source', 'Columns', 'Dry run', 'Import'];
  const render = (step: number, ...nodes: Node[]): void => {
    const steps = el(
      'ol',
      { class: 'import-steps', 'aria-label': 'Steps' },
      ...STEPS.map((label, i) => {
        const li = el(
          'li',
          { class: i + 1 === step ? 'current' : i + 1 < step ? 'done' : '' },
          label,
        );
        if (i + 1 === step) li.setAttribute('aria-current', 'step');
        return li;
      }),
    );
    show(title, steps, ...nodes);
    window.scrollTo(0, 0);
  };

  // ---------------------------------------------------------------- 1. source

  /** The unfinished import, first: continue it or discard it. */
  const unfinished = (job: ImportJob): HTMLElement => {
    const box = el(
      'section',
      { class: 'banner warning resume', 'aria-label': 'Unfinished import' },
      el(
        'p',
        {},
        el(
          'strong',
          {},
          `An import from ${job.source} by ${job.by} stopped at ${n(job.position)} of ${n(job.rows)} rows.`,
        ),
      ),
      el(
        'p',
        { class: 'small' },
        `Started ${job.started}: ${plural(job.imported, 'entry', 'entries')} imported, ${n(job.skipped)} skipped so far. Another import can start once it is finished or discarded.`,
      ),
    );
    const actions = el('div', { class: 'actions' });
    const message = el('div', {});
    const ask = (): void => {
      actions.replaceChildren(
        el('span', { class: 'small' }, 'Discard it? The entries it imported stay registered.'),
        button(
          'Yes, discard',
          () => {
            actions.querySelectorAll('button').forEach((b) => (b.disabled = true));
            call('discardUnfinishedImport')
              .then((r) => {
                keep(null);
                start.job = null;
                source(alertBox(r.message, 'info'));
              })
              .catch((error) => {
                message.replaceChildren(alertBox(failureMessage(error)));
                actions.replaceChildren(go, discard);
              });
          },
          'primary',
        ),
        button('Cancel', () => actions.replaceChildren(go, discard)),
      );
    };
    const go = button('Continue', () => resume(job), 'primary');
    const discard = button('Discard', ask);
    actions.append(go, discard);
    box.append(actions, message);
    return box;
  };

  const lastFinished = (job: ImportJob): HTMLElement =>
    el(
      'p',
      { class: 'small muted last-import' },
      `Last import: from ${job.source} by ${job.by}, finished ${job.finished}: ${plural(job.imported, 'entry', 'entries')} imported${job.firstId ? ` (${job.firstId} to ${job.lastId})` : ''}, ${n(job.skipped)} skipped.`,
    );

  /** The CSV box: a file read here (FileReader) or text pasted, into one text. */
  const csvBox = (label: string, onUse: (csv: string, name: string) => void): HTMLElement => {
    let fileName = '';
    const text = el('textarea', {
      id: 'csvText',
      rows: '9',
      spellcheck: 'false',
      placeholder:
        'Project,Owner,Data tier,AI tool,Status\nInvoice helper,jane@example.com,Internal,Copilot,Live',
    });
    const file = el('input', {
      id: 'csvFile',
      type: 'file',
      accept: '.csv,.tsv,.txt,text/csv,text/plain',
    });
    const note = el('div', { class: 'small muted', role: 'status' });
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (!f) return;
      const reader = new FileReader();
      reader.onload = () => {
        text.value = String(reader.result ?? '');
        fileName = f.name;
        note.textContent = `Read ${f.name}: ${plural(text.value.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length, 'line')}.`;
      };
      reader.onerror = () => (note.textContent = `${f.name} could not be read.`);
      reader.readAsText(f);
    });
    // Typing over a file's text makes it pasted text.
    text.addEventListener('input', () => (fileName = ''));
    const use = button(label, () => onUse(text.value, fileName), 'primary');
    return el(
      'section',
      { class: 'source-card', 'aria-labelledby': 'csv-heading' },
      el('h2', { id: 'csv-heading' }, 'From a CSV file'),
      el('label', { for: 'csvFile' }, 'Choose a .csv file'),
      file,
      el(
        'label',
        { for: 'csvText', class: 'or' },
        'or paste CSV text (a header row, then a row per project)',
      ),
      text,
      note,
      el('div', { class: 'actions' }, use),
    );
  };

  const source = (notice?: Node): void => {
    const job = start.job;
    const problem = el('div', { id: 'source-problem' });
    const choose = (input: ImportSourceInput): void => {
      problem.replaceChildren(el('p', { class: 'muted' }, 'Reading…'));
      preview(input, { dateOrder: 'auto', headerRow: 0 }, problem);
    };

    const sheetList =
      start.sheets.length === 0
        ? el(
            'p',
            { class: 'muted small' },
            'This spreadsheet has no other sheets. Add the inventory as a sheet, or use a CSV.',
          )
        : el(
            'fieldset',
            { class: 'sheet-list' },
            el('legend', { class: 'sr-only' }, 'Sheets'),
            ...start.sheets.map((s, i) =>
              el(
                'label',
                { class: 'sheet-option' },
                el('input', {
                  type: 'radio',
                  name: 'sourceSheet',
                  value: s.name,
                  ...(i === 0 ? { checked: '' } : {}),
                }),
                el('span', {}, s.name),
                el('small', { class: 'muted' }, plural(s.rows, 'row')),
              ),
            ),
          );
    const useSheet =
      start.sheets.length === 0
        ? null
        : button(
            'Use this sheet',
            () => {
              const chosen = sheetList.querySelector<HTMLInputElement>('input:checked');
              if (chosen) choose({ sheet: chosen.value });
            },
            'primary',
          );
    render(
      1,
      ...(notice ? [notice] : []),
      job && !job.done ? unfinished(job) : job ? lastFinished(job) : el('span'),
      el(
        'p',
        { class: 'muted' },
        'Bring an existing list of AI projects into the registry. Nothing is written until you have seen the dry run.',
      ),
      el(
        'div',
        { class: 'source-grid' },
        el(
          'section',
          { class: 'source-card', 'aria-labelledby': 'sheet-heading' },
          el('h2', { id: 'sheet-heading' }, 'From a sheet of this spreadsheet'),
          sheetList,
          useSheet ? el('div', { class: 'actions' }, useSheet) : el('span'),
        ),
        csvBox('Use this CSV', (csv, name) => choose(name ? { csv, name } : { csv })),
      ),
      problem,
    );
  };

  /** The CSV of an unfinished import, asked for again (it is never stored). */
  const csvAgain = (job: ImportJob, then: (input: ImportSourceInput) => void): void => {
    const problem = el('div', {});
    render(
      1,
      el(
        'p',
        { class: 'banner info', role: 'status' },
        `The import from ${job.source} goes on where it stopped (${n(job.position)} of ${n(job.rows)} rows) with the same CSV: paste it again, or choose the same file.`,
      ),
      csvBox('Continue with this CSV', (csv, name) => then(name ? { csv, name } : { csv })),
      problem,
      el(
        'div',
        { class: 'actions' },
        button('Back', () => source()),
      ),
    );
  };

  const resume = (job: ImportJob): void => {
    const saved = loadSaved(job);
    const sameColumns = alertBox(
      'Choose the same columns as when this import started: it goes on only with the same source and columns.',
      'info',
    );
    if (saved?.kind === 'sheet')
      return void progress({ sheet: saved.sheet }, saved.mapping, saved.options, saved);
    if (saved?.kind === 'csv')
      return csvAgain(job, (input) => progress(input, saved.mapping, saved.options, saved));
    const sheet = /^sheet "(.*)"$/.exec(job.source);
    if (sheet) {
      const problem = el('div', {});
      render(1, el('p', { class: 'muted' }, 'Reading…'), problem);
      return preview(
        { sheet: sheet[1] },
        { dateOrder: 'auto', headerRow: 0 },
        problem,
        sameColumns,
      );
    }
    csvAgain(job, (input) =>
      preview(input, { dateOrder: 'auto', headerRow: 0 }, null, sameColumns),
    );
  };

  // ---------------------------------------------------------------- 2. columns

  const preview = (
    input: ImportSourceInput,
    options: ImportOptions,
    problem: HTMLElement | null,
    notice?: Node,
  ): void => {
    call('previewImport', input, options)
      .then((p) =>
        columns(input, p, { ...options, headerRow: p.headerRow }, { ...p.mapping }, notice),
      )
      .catch((error) => {
        const box = alertBox(failureMessage(error));
        if (problem) problem.replaceChildren(box);
        else
          render(
            1,
            box,
            el(
              'div',
              { class: 'actions' },
              button('Back', () => source()),
            ),
          );
      });
  };

  const columns = (
    input: ImportSourceInput,
    p: ImportPreview,
    options: ImportOptions,
    mapping: ImportMapping,
    notice?: Node,
  ): void => {
    const problem = el('div', { id: 'mapping-problem' });
    const unmappedNote = el('div', { id: 'mapping-unmapped' });
    const samplesOf = (column: number): string => {
      const values = p.samples
        .map((r) => (r[column] ?? '').trim())
        .filter((v) => v !== '')
        .slice(0, 3);
      return values.length === 0 ? '(empty in the first rows)' : values.join(' · ');
    };
    const guesses = p.mapping as ImportMapping;
    const reasons = p.why as Record<string, 'header' | 'values'>;
    const rows = p.fields.map((field) => {
      const id = `map-${field.replace(/\W+/g, '-')}`;
      const select = el(
        'select',
        { id, 'data-field': field },
        el('option', { value: '-1' }, '— not in the source —'),
        ...p.headers.map((h, i) => el('option', { value: String(i) }, `${columnLetter(i)}: ${h}`)),
      );
      select.value = String(mapping[field] ?? -1);
      const why = el('div', { class: 'small muted why' });
      const sample = el('td', { class: 'samples small' });
      const update = (): void => {
        const column = Number(select.value);
        if (column < 0) delete mapping[field];
        else mapping[field] = column;
        const guessed = column >= 0 && guesses[field] === column ? reasons[field] : undefined;
        why.textContent = guessed
          ? `guessed from ${guessed === 'header' ? 'header' : 'values'}`
          : '';
        sample.textContent = column < 0 ? '' : samplesOf(column);
      };
      select.addEventListener('change', () => {
        update();
        check();
      });
      update();
      return el(
        'tr',
        {},
        el(
          'th',
          { scope: 'row' },
          el('label', { for: id }, field),
          KEY_FIELDS.includes(field)
            ? el('span', { class: 'req' }, 'must map')
            : REQUIRED.includes(field)
              ? el('span', { class: 'req soft' }, 'required')
              : el('span', { class: 'req opt' }, 'optional'),
        ),
        el('td', {}, select, why),
        sample,
      );
    });
    const table = el(
      'table',
      { class: 'mapping', 'aria-label': 'Which column holds each field' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Registry field'),
          el('th', {}, 'Column of the source'),
          el('th', {}, 'Sample values'),
        ),
      ),
      el('tbody', {}, ...rows),
    );

    const headerRow = el('input', {
      id: 'headerRow',
      type: 'number',
      min: '1',
      max: String(p.headerRow + p.rows),
      value: String(p.headerRow),
    });
    headerRow.addEventListener('change', () => {
      const row = Number(headerRow.value);
      if (!Number.isInteger(row) || row < 1) return;
      problem.replaceChildren(el('p', { class: 'muted' }, 'Reading…'));
      // A different header row: the headers, samples and guesses all change.
      preview(input, { ...options, headerRow: row }, problem, notice);
    });
    const dateOrder = el(
      'select',
      { id: 'dateOrder' },
      ...DATE_ORDERS.map(([v, label]) => el('option', { value: v }, label)),
    );
    dateOrder.value = options.dateOrder;
    const evidence = el('div', { class: 'small muted', id: 'dateEvidence' });
    const showEvidence = (): void => {
      evidence.textContent =
        options.dateOrder === 'auto'
          ? `Read as ${p.dateOrder === 'dmy' ? 'day first' : 'month first'}: ${p.dateEvidence}.`
          : 'As you chose.';
    };
    dateOrder.addEventListener('change', () => {
      options = { ...options, dateOrder: dateOrder.value as ImportOptions['dateOrder'] };
      showEvidence();
    });
    showEvidence();

    const dry = button(
      'Dry run',
      () => {
        if (!check()) return;
        dry.disabled = true;
        dry.textContent = 'Checking every row…';
        call('dryRunImport', input, mapping, options)
          .then((result) => dryRun(input, p, options, mapping, result))
          .catch((error) => {
            problem.replaceChildren(alertBox(failureMessage(error)));
            dry.disabled = false;
            dry.textContent = 'Dry run';
          });
      },
      'primary',
    );

    /** What the server would refuse, said before asking it; and the rows that would be Needs Info. */
    const check = (): boolean => {
      const missing = KEY_FIELDS.filter((f) => mapping[f] === undefined);
      const byColumn = new Map<number, string>();
      let twice = '';
      for (const f of p.fields) {
        const c = mapping[f];
        if (c === undefined) continue;
        const other = byColumn.get(c);
        if (other && !twice)
          twice = `Column ${columnLetter(c)} is chosen for both ${other} and ${f}; choose a different column for one of them.`;
        byColumn.set(c, f);
      }
      const unmapped = REQUIRED.filter((f) => !KEY_FIELDS.includes(f) && mapping[f] === undefined);
      unmappedNote.replaceChildren(
        unmapped.length > 0
          ? el(
              'p',
              { class: 'small pending' },
              `Not mapped: ${unmapped.join(', ')}. Rows will be imported as Needs Info until their owners fill ${unmapped.length === 1 ? 'it' : 'these'} in.`,
            )
          : el('span'),
      );
      const sentence = missing.length
        ? `Choose the column that holds ${missing.join(' and ')}: an entry cannot be matched or owned without it.`
        : twice;
      problem.replaceChildren(sentence ? alertBox(sentence) : el('span'));
      dry.disabled = sentence !== '';
      return sentence === '';
    };

    render(
      2,
      ...(notice ? [notice] : []),
      el(
        'p',
        { class: 'source-line' },
        el('strong', {}, p.source),
        ` — ${plural(p.rows, 'row')} below the header.`,
      ),
      el(
        'div',
        { class: 'import-options' },
        el('div', { class: 'field' }, el('label', { for: 'headerRow' }, 'Header row'), headerRow),
        el(
          'div',
          { class: 'field' },
          el('label', { for: 'dateOrder' }, 'Dates'),
          dateOrder,
          evidence,
        ),
      ),
      el('div', { class: 'table-wrap' }, table),
      unmappedNote,
      problem,
      el(
        'div',
        { class: 'actions' },
        button('Back', () => source()),
        dry,
      ),
    );
    check();
  };

  // ---------------------------------------------------------------- 3. dry run

  const dryRun = (
    input: ImportSourceInput,
    p: ImportPreview,
    options: ImportOptions,
    mapping: ImportMapping,
    r: ImportDryRun,
  ): void => {
    const c = r.counts;
    const problemRow = (row: PlannedRow) =>
      row.status === 'import' && (row.approval === 'Needs Info' || row.approval === 'Blocked');
    const problems = r.rows.filter(problemRow).length;
    const duplicates = r.rows.filter((row) => row.status === 'duplicate').length;
    const decisions = [
      ...DECISIONS.filter((d) => c.byApproval[d]),
      ...Object.keys(c.byApproval).filter((d) => !DECISIONS.includes(d)),
    ];
    const summary = el(
      'div',
      { class: 'counts', 'aria-label': 'Dry run summary' },
      el('div', { class: 'count' }, el('strong', {}, n(c.toImport)), el('span', {}, 'to import')),
      el(
        'div',
        { class: 'count' },
        el('strong', {}, n(c.duplicates)),
        el('span', {}, c.duplicates === 1 ? 'duplicate' : 'duplicates'),
      ),
      el(
        'div',
        { class: 'count' },
        el('strong', {}, n(c.blank)),
        el('span', {}, 'blank lines skipped'),
      ),
      el(
        'div',
        { class: 'by-decision' },
        ...decisions.map((d) =>
          el('span', { class: 'decision' }, badge(d), ` ${n(c.byApproval[d])}`),
        ),
      ),
    );
    const warning =
      r.unmapped.length > 0
        ? el(
            'div',
            { class: 'banner warning', role: 'status' },
            el(
              'p',
              {},
              el('strong', {}, `Not mapped: ${r.unmapped.join(', ')}.`),
              ` Every imported row will be Needs Info until its owner fills ${r.unmapped.length === 1 ? 'it' : 'them'} in. Go back to choose ${r.unmapped.length === 1 ? 'its column' : 'their columns'} if the source has ${r.unmapped.length === 1 ? 'it' : 'them'}.`,
            ),
          )
        : el('span');

    const body = el('tbody', {});
    const fill = (which: string): void => {
      const shown = r.rows.filter((row) =>
        which === 'problems'
          ? problemRow(row)
          : which === 'duplicates'
            ? row.status === 'duplicate'
            : true,
      );
      body.replaceChildren(
        ...(shown.length === 0
          ? [el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'No rows here.'))]
          : shown.map((row) =>
              el(
                'tr',
                { class: row.status === 'duplicate' ? 'duplicate' : '' },
                el('td', { class: 'line' }, String(row.line)),
                el('td', {}, row.project || el('span', { class: 'muted' }, '(none)')),
                el(
                  'td',
                  { class: 'creator' },
                  row.creator || el('span', { class: 'muted' }, '(none)'),
                ),
                el(
                  'td',
                  { class: 'decision' },
                  row.status === 'duplicate'
                    ? el('span', { class: 'dup' }, `duplicate of ${row.duplicateOf}`)
                    : badge(row.approval),
                  row.firstRecorded
                    ? el('div', { class: 'small muted' }, `first recorded ${row.firstRecorded}`)
                    : null,
                ),
                el(
                  'td',
                  { class: 'small' },
                  row.checks.length + row.notes.length === 0
                    ? ''
                    : el(
                        'ul',
                        { class: 'row-checks' },
                        ...row.checks.map((t) => el('li', {}, t)),
                        ...row.notes.map((t) => el('li', { class: 'note' }, t)),
                      ),
                ),
              ),
            )),
      );
    };
    const filters: [string, string][] = [
      ['all', `All (${n(r.rows.length)})`],
      ['problems', `Problems: Needs Info, Blocked (${n(problems)})`],
      ['duplicates', `Duplicates (${n(duplicates)})`],
    ];
    const filter = el(
      'div',
      { class: 'filter', role: 'radiogroup', 'aria-label': 'Show rows' },
      ...filters.map(([value, label], i) =>
        el(
          'label',
          {},
          el('input', {
            type: 'radio',
            name: 'rowFilter',
            value,
            ...(i === 0 ? { checked: '' } : {}),
          }),
          label,
        ),
      ),
    );
    filter.addEventListener('change', (e) => fill((e.target as HTMLInputElement).value));
    fill('all');
    const table = el(
      'table',
      { class: 'plan', 'aria-label': 'Rows of the dry run' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Line'),
          el('th', {}, 'Project'),
          el('th', {}, 'Creator'),
          el('th', {}, 'Decision'),
          el('th', {}, 'Checks and notes'),
        ),
      ),
      body,
    );
    const problem = el('div', {});
    const go = button(
      c.toImport === 0 ? 'Nothing to import' : `Import ${plural(c.toImport, 'entry', 'entries')}`,
      () =>
        progress(input, mapping, options, null, {
          label: r.source,
          sheet: 'sheet' in input ? input.sheet : '',
        }),
      'primary',
    );
    go.disabled = c.toImport === 0;
    render(
      3,
      el(
        'p',
        { class: 'source-line' },
        el('strong', {}, r.source),
        ` — header in row ${r.headerRow}; dates read ${r.dateOrder === 'dmy' ? 'day first' : 'month first'} (${r.dateEvidence}). Nothing has been written yet.`,
      ),
      summary,
      warning,
      filter,
      el('div', { class: 'table-wrap plan-wrap' }, table),
      r.more > 0
        ? el(
            'p',
            { class: 'small muted' },
            `The first ${n(r.rows.length)} rows are shown; the counts cover all ${n(r.rows.length + r.more)}.`,
          )
        : el('span'),
      problem,
      el(
        'div',
        { class: 'actions' },
        button('Back to columns', () => columns(input, p, options, mapping)),
        go,
      ),
      el(
        'p',
        { class: 'small muted' },
        `Entries are imported ${n(start.batch)} rows at a time, each decided and sealed as a registration is, with one digest to the security team at the end. You can stop after any batch and continue later.`,
      ),
    );
  };

  // ---------------------------------------------------------------- 4. import

  const progress = (
    input: ImportSourceInput,
    mapping: ImportMapping,
    options: ImportOptions,
    saved: Saved | null,
    fresh?: { label: string; sheet: string },
  ): void => {
    let record: Saved | null =
      saved ??
      (fresh
        ? {
            jobId: '',
            label: fresh.label,
            sheet: fresh.sheet,
            csvName: 'name' in input ? (input.name ?? '') : '',
            kind: 'sheet' in input ? 'sheet' : 'csv',
            mapping,
            options,
          }
        : null);
    if (record && !saved) keep(record);
    let stopping = false;
    const bar = el('div', { class: 'bar' });
    const meter = el(
      'div',
      {
        class: 'progress',
        role: 'progressbar',
        'aria-label': 'Import progress',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': '0',
      },
      bar,
    );
    const figures = el('p', { class: 'figures', role: 'status' }, 'Starting…');
    const problem = el('div', {});
    const stop = button('Stop', () => {
      stopping = true;
      stop.disabled = true;
      stop.textContent = 'Stopping after this batch…';
    });
    const actions = el('div', { class: 'actions' }, stop);
    const heading = el('h2', {}, 'Importing…');
    render(4, heading, meter, figures, problem, actions);

    const draw = (job: ImportJob): void => {
      const share = job.rows === 0 ? 100 : Math.round((job.position / job.rows) * 100);
      bar.style.width = `${share}%`;
      meter.setAttribute('aria-valuenow', String(share));
      meter.setAttribute('aria-valuetext', `${n(job.position)} of ${n(job.rows)} rows`);
      figures.textContent = `${n(job.position)} of ${n(job.rows)} rows · ${n(job.imported)} imported · ${n(job.skipped)} skipped`;
    };

    const finished = (job: ImportProgress): void => {
      keep(null);
      start.job = job;
      deliverInBackground();
      heading.textContent = 'Import finished';
      const decisions = Object.entries(job.approvals).sort((a, b) => b[1] - a[1]);
      const assigned = Object.entries(job.assigned);
      actions.replaceChildren(
        button('Import another inventory', () => void importPanel(show), 'primary'),
      );
      problem.replaceChildren(
        alertBox(job.message, 'info'),
        el(
          'dl',
          { class: 'finished' },
          el('dt', {}, 'Entries'),
          el(
            'dd',
            {},
            job.firstId
              ? `${job.firstId} to ${job.lastId} (${plural(job.imported, 'entry', 'entries')})`
              : 'None imported',
          ),
          el('dt', {}, 'Skipped'),
          el('dd', {}, `${n(job.skipped)} (duplicates)`),
          decisions.length ? el('dt', {}, 'Decisions') : null,
          decisions.length
            ? el(
                'dd',
                { class: 'by-decision' },
                ...decisions.map(([d, count]) =>
                  el('span', { class: 'decision' }, badge(d), ` ${n(count)}`),
                ),
              )
            : null,
          assigned.length ? el('dt', {}, 'Reviews assigned') : null,
          assigned.length
            ? el('dd', {}, assigned.map(([who, count]) => `${who} (${n(count)})`).join(', '))
            : null,
          job.blocked.length ? el('dt', {}, 'Blocked') : null,
          job.blocked.length ? el('dd', {}, job.blocked.join(', ')) : null,
        ),
      );
    };

    const stopped = (job: ImportJob): void => {
      heading.textContent = 'Import stopped';
      problem.replaceChildren(
        alertBox(
          `Stopped at ${n(job.position)} of ${n(job.rows)} rows. Continue now, or later from Security team › Import an inventory…`,
          'info',
        ),
      );
      actions.replaceChildren(
        button(
          'Continue',
          () => {
            stopping = false;
            stop.disabled = false;
            stop.textContent = 'Stop';
            actions.replaceChildren(stop);
            problem.replaceChildren();
            heading.textContent = 'Importing…';
            void loop();
          },
          'primary',
        ),
      );
    };

    const loop = async (): Promise<void> => {
      for (;;) {
        let job: ImportProgress;
        try {
          job = await call('importBatch', input, mapping, options);
        } catch (error) {
          heading.textContent = 'Import paused';
          problem.replaceChildren(alertBox(failureMessage(error)));
          actions.replaceChildren(
            button(
              'Try again',
              () => {
                problem.replaceChildren();
                heading.textContent = 'Importing…';
                actions.replaceChildren(stop);
                void loop();
              },
              'primary',
            ),
            button('Back to the start', () => void importPanel(show)),
          );
          return;
        }
        if (record && record.jobId !== job.id) keep((record = { ...record, jobId: job.id }));
        draw(job);
        if (job.done) return finished(job);
        if (stopping) return stopped(job);
      }
    };
    void loop();
  };

  source();
}

/**
 * The audit archive (issue 14, DESIGN §6): when the workbook nears its 10 million cells, the
 * oldest audit entries move to a spreadsheet of their own, created by the trigger owner and
 * shared (view only) with the security team. A sheet in this file would not reduce the count.
 */
import {
  ARCHIVE_SLICE,
  ARCHIVE_WRITE_ROWS,
  entriesToArchive,
  fileFor,
  worthArchiving,
  type ArchiveFile,
} from '../domain/archive';
import { AUDIT_LOG } from '../domain/schema';
import type { Settings } from '../domain/settings';
import { one, type Outgoing } from '../domain/slack';
import { registryProperties } from '../services/store';
import {
  archivedEntries,
  archiveFiles,
  archiveOldest,
  auditEntryCount,
  idleArchiveUntil,
  recordArchiveFiles,
  verifiedEntryCount,
  type ArchiveWriter,
} from './audit-log';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The day the team was last told an archive run failed. */
const FAILED = 'auditArchiveFailed';

/** Cells the workbook holds: every sheet's grid, used or empty (what Sheets counts). */
export function cellsInWorkbook(ss: Spreadsheet): number {
  return ss.getSheets().reduce((n, s) => n + s.getMaxRows() * s.getMaxColumns(), 0);
}

/**
 * One run's share of archiving: the oldest verified entries move out when the workbook is over
 * its mark, a slice at a time (the next hourly run goes on). What the team should hear is
 * returned as messages; null when there was nothing to do (the hour's other work goes on).
 */
export function archiveIfFull(ss: Spreadsheet, settings: Settings, now: Date): Outgoing[] | null {
  const cells = cellsInWorkbook(ss);
  const sheet = ss.getSheetByName(AUDIT_LOG.name);
  if (!sheet) return null;
  const archived = archivedEntries(sheet);
  const state = archiveFiles();
  const n = entriesToArchive({
    cells,
    archived: archived.count,
    verified: verifiedEntryCount(),
    entries: auditEntryCount(),
    idleUntil: state.idleUntil,
  });
  if (n === 0) return null;
  let moved: ReturnType<typeof archiveOldest>;
  try {
    moved = archiveOldest(ss, n, now, worthArchiving, writer(ss, settings, state.files));
  } catch (error) {
    // The hour's other work goes on; the team hears once a day (Drive refused, a quota).
    console.error(`Governed Path could not archive audit entries: ${String(error)}`);
    const today = Utilities.formatDate(now, settings.timeZone, 'yyyy-MM-dd');
    const store = registryProperties();
    if (store.getProperty(FAILED) === today) return null;
    store.setProperty(FAILED, today);
    return [
      one({
        kind: 'notice',
        title: 'The Audit Log could not be archived',
        lines: [
          `The spreadsheet holds ${cells.toLocaleString('en-US')} of its 10,000,000 cells and its oldest Audit Log entries could not be moved to the archive (${String(error).slice(0, 200)}). The next hourly run tries again; check that the trigger owner's Drive accepts new files.`,
        ],
      }),
    ];
  }
  if (moved === null) return null;
  const share = (c: number) => `${Math.round(c / 100_000)} %`;
  if ('idle' in moved) {
    idleArchiveUntil(auditEntryCount() + ARCHIVE_SLICE);
    return [
      one({
        kind: 'notice',
        title: 'The spreadsheet is filling up',
        lines: [
          `The spreadsheet holds ${cells.toLocaleString('en-US')} of its 10,000,000 cells (${share(cells)}). The oldest Audit Log entries are mostly the latest record of entries still in use (${moved.carried} of ${n}), so archiving them would free little: remove sheets nobody needs (old evidence packs, copies) or start a new registry for part of the organisation.`,
        ],
      }),
    ];
  }
  const after = cellsInWorkbook(ss);
  return [
    one({
      kind: 'notice',
      title: 'Audit Log entries archived',
      lines: [
        `Audit Log entries ${moved.from}–${moved.to} moved to the archive (${moved.url}), shared with the security team: the spreadsheet held ${share(cells)} of its 10 million cells, now ${share(after)}. The chain continues from the last entry moved; ${moved.carried} entries' latest snapshots were kept in the live log.`,
      ],
    }),
  ];
}

/** Writes a segment into the current archive file, or a new one when it is full. */
function writer(ss: Spreadsheet, settings: Settings, files: readonly ArchiveFile[]): ArchiveWriter {
  return (rows, headers, first) => {
    const place = fileFor(files, first, rows.length);
    // The last file, while this account may write to it: a new trigger owner (another
    // security-team member took the registry over) or a file gone from Drive starts a new one.
    const me = Session.getEffectiveUser().getEmail().toLowerCase();
    const writable = place === 'new' ? null : writableFile(files[place.index], me);
    let file: GoogleAppsScript.Spreadsheet.Spreadsheet;
    let row: number;
    let list: ArchiveFile[];
    if (place === 'new' || writable === null) {
      file = newArchiveFile(ss, headers, files.length + 1);
      row = 2;
      list = [
        ...files,
        { id: file.getId(), url: file.getUrl(), owner: me, from: first, to: first },
      ];
      // Recorded before anything is written: a run stopped now leaves no file nobody knows of.
      recordArchiveFiles(list);
    } else {
      file = writable;
      row = place.row;
      list = [...files];
    }
    const sheet = file.getSheetByName(AUDIT_LOG.name) ?? file.getSheets()[0];
    const end = row + rows.length - 1;
    if (sheet.getMaxRows() < end)
      sheet.insertRowsAfter(sheet.getMaxRows(), end - sheet.getMaxRows());
    // In parts under the size past which writes slow down; text stays text (a Hash or an ID
    // Sheets could read as a number).
    for (let i = 0; i < rows.length; i += ARCHIVE_WRITE_ROWS) {
      const part = rows.slice(i, i + ARCHIVE_WRITE_ROWS);
      sheet
        .getRange(row + i, 1, part.length, headers.length)
        .setNumberFormat('@')
        .setValues(part);
    }
    const current = list[list.length - 1];
    list[list.length - 1] = { ...current, to: first + rows.length };
    shareWithTeam(file, settings);
    return { files: list, url: current.url };
  };
}

/**
 * An archive file this account created and may write to, or null: a file another trigger
 * owner created, or one gone from Drive, is not written to (a new file is started).
 */
function writableFile(
  record: ArchiveFile,
  me: string,
): GoogleAppsScript.Spreadsheet.Spreadsheet | null {
  if (record.owner !== undefined && record.owner.toLowerCase() !== me) return null;
  try {
    return SpreadsheetApp.openById(record.id);
  } catch {
    return null;
  }
}

/** A new archive file: the log's headers, text cells, nine columns, owned by this account. */
function newArchiveFile(
  ss: Spreadsheet,
  headers: string[],
  number: number,
): GoogleAppsScript.Spreadsheet.Spreadsheet {
  const name = `${ss.getName().slice(0, 80)} — Audit Log archive ${number}`;
  const file = SpreadsheetApp.create(name, ARCHIVE_WRITE_ROWS, headers.length);
  const sheet = file.getSheets()[0];
  sheet.setName(AUDIT_LOG.name);
  sheet.getRange(1, 1, 1, headers.length).setValues([headers]).setFontWeight('bold');
  sheet.setFrozenRows(1);
  if (sheet.getMaxColumns() > headers.length)
    sheet.deleteColumns(headers.length + 1, sheet.getMaxColumns() - headers.length);
  return file;
}

/**
 * The security team may read the archive (never change it: the chain's MACs prove it, and
 * only the trigger owner writes). Members added since are shared with at the next move; an
 * address Google refuses is skipped, the others still get theirs.
 */
function shareWithTeam(file: GoogleAppsScript.Spreadsheet.Spreadsheet, settings: Settings): void {
  let shared: Set<string>;
  try {
    shared = new Set(file.getViewers().map((u) => u.getEmail().toLowerCase()));
  } catch (error) {
    // Sharing is Drive's: where Google refuses it, the file stays the trigger owner's alone and
    // the team's message carries its link (docs/deploy.md says how to share it by hand).
    console.error(`Governed Path could not read who may see the audit archive: ${String(error)}`);
    return;
  }
  for (const member of settings.securityTeam) {
    if (member === '' || shared.has(member.toLowerCase())) continue;
    try {
      file.addViewer(member);
    } catch (error) {
      console.error(
        `Governed Path could not share the audit archive with ${member}: ${String(error)}`,
      );
    }
  }
}

// @tanstack/react-table in "manual" mode: paging, sorting and filtering happen on the
// server; the table renders one page and turns header clicks into URL changes.
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';

export interface DataTableProps<T> {
  data: T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- column helpers give each column its own value type
  columns: ColumnDef<T, any>[];
  sorting?: SortingState;
  onSortingChange?: (next: SortingState) => void;
  /** Columns that the server can sort by. */
  sortable?: string[];
  getRowId?: (row: T) => string;
  testId?: string;
  empty?: string;
  rowSelection?: Record<string, boolean>;
  onRowSelectionChange?: (next: Record<string, boolean>) => void;
}

export function DataTable<T>({ data, columns, sorting = [], onSortingChange, sortable = [], getRowId, testId, empty, rowSelection, onRowSelectionChange }: DataTableProps<T>) {
  const { t } = useTranslation();
  const table = useReactTable({
    data,
    columns,
    getRowId,
    state: { sorting, rowSelection: rowSelection ?? {} },
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableRowSelection: Boolean(onRowSelectionChange),
    onRowSelectionChange: (updater) => {
      if (!onRowSelectionChange) return;
      onRowSelectionChange(typeof updater === 'function' ? updater(rowSelection ?? {}) : updater);
    },
    onSortingChange: (updater) => onSortingChange?.(typeof updater === 'function' ? updater(sorting) : updater),
    getCoreRowModel: getCoreRowModel(),
  });
  if (data.length === 0) return <p className="muted">{empty ?? t('table.empty')}</p>;
  return (
    // Scrolls inside its card on a narrow screen (styles.css: .scroll), never the page.
    <div className="scroll" tabIndex={0}>
      <table className="data" data-testid={testId}>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const canSort = sortable.includes(h.column.id);
                const dir = h.column.getIsSorted();
                return (
                  <th key={h.id} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
                    {canSort ? (
                      <button type="button" className="link" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-row-id={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

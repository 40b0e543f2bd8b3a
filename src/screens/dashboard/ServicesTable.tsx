import { Text } from 'ink';
import type { DashboardService } from '../../core/dashboard/types.js';
import { HealthMark } from '../components/ServiceStates.js';
import { toneColor } from '../components/theme.js';
import { attentionTone, cellText, fitColumns, GAP, MARK_WIDTH, needsAttention, padCell, visibleServices, type Column } from './service-rows.js';

/**
 * One row per service: mark, name, state, health, uptime, restarts, CPU, memory; the columns the
 * width allows. Services that need attention are coloured and, when rows run short, listed first.
 */
export function ServicesTable({ services, width, maxRows, now, stale = false }: { services: readonly DashboardService[]; width: number; maxRows: number; now: number; stale?: boolean }) {
  const columns = fitColumns(width, services);
  const healthShown = columns.some((column) => column.id === 'health');
  const { shown, hidden } = visibleServices(services, Math.max(1, maxRows - 1));
  return (
    <>
      <Text dimColor wrap="truncate-end">
        {' '.repeat(MARK_WIDTH)}
        {columns.map((column, index) => (index === 0 ? '' : ' '.repeat(GAP)) + padCell(column.title, column)).join('')}
      </Text>
      {shown.map((service) => (
        <ServiceRow key={service.service} service={service} columns={columns} now={now} healthShown={healthShown} stale={stale} />
      ))}
      {hidden > 0 ? (
        <Text dimColor wrap="truncate-end">
          {' '.repeat(MARK_WIDTH)}… {hidden} more service{hidden === 1 ? '' : 's'} (make the terminal taller to see them)
        </Text>
      ) : null}
    </>
  );
}

/** `stale`: the engine is away; the row is what was last seen, so it is shown without colour or marks. */
function ServiceRow({ service, columns, now, healthShown, stale }: { service: DashboardService; columns: Column[]; now: number; healthShown: boolean; stale: boolean }) {
  if (stale) {
    return (
      <Text dimColor wrap="truncate-end">
        {'? '}
        {columns.map((column, index) => (index === 0 ? '' : ' '.repeat(GAP)) + padCell(cellText(service, column.id, now, healthShown), column)).join('')}
      </Text>
    );
  }
  const attention = needsAttention(service);
  const color = attention ? toneColor[attentionTone(service)] : undefined;
  return (
    <Text wrap="truncate-end">
      <HealthMark state={service.state} /> {columns.map((column, index) => {
        const text = (index === 0 ? '' : ' '.repeat(GAP)) + padCell(cellText(service, column.id, now, healthShown), column);
        const emphasised = attention && (column.id === 'service' || column.id === 'state' || column.id === 'health');
        return (
          <Text key={column.id} color={emphasised ? color : undefined} bold={attention && column.id === 'service'} dimColor={!attention && column.id !== 'service' && column.id !== 'state'}>
            {text}
          </Text>
        );
      })}
    </Text>
  );
}

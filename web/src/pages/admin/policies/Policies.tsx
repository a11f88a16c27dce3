import { Tabs, Typography } from 'antd';
import { useState } from 'react';
import { hasRole, useMe } from '../../../auth';
import { CalendarChanges } from './CalendarChanges';
import { PoliciesInForce } from './PoliciesInForce';
import { PolicyChanges } from './PolicyChanges';
import { ProposePolicy } from './ProposePolicy';

/**
 * 政策參數: the values in force, their changes (proposed by county finance, approved by another person), and the
 * county calendar's day changes (admins). Each part is shown to the roles its API routes allow.
 */
export default function Policies() {
  const me = useMe();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const readsChanges = hasRole(me, 'county_finance', 'county_leader', 'auditor');
  const readsCalendar = hasRole(me, 'admin', 'auditor');

  const items = [
    {
      key: 'policies',
      label: '政策參數',
      children: (
        <>
          <PoliciesInForce version={version} />
          {readsChanges && (
            <>
              <Typography.Title level={3} style={{ marginTop: 24 }}>
                參數變更
              </Typography.Title>
              {hasRole(me, 'county_finance') && <ProposePolicy onDone={reload} />}
              <PolicyChanges version={version} onDone={reload} />
            </>
          )}
        </>
      ),
    },
    ...(readsCalendar ? [{ key: 'calendar', label: '工作日曆', children: <CalendarChanges /> }] : []),
  ];

  return (
    <>
      <Typography.Title level={2}>政策參數</Typography.Title>
      <Tabs items={items} />
    </>
  );
}

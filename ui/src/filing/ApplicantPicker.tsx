// 用户: the applicant profile this filing belongs to (optional), found as you type.
import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import type { ApplicantView } from '../api/bindings';
import { filingApi } from './api';
import { ft } from './texts';

export type PickedApplicant = { id: string; name: string; profile?: ApplicantView };

export function ApplicantPicker({
  value,
  onChange,
  disabled,
}: {
  value: PickedApplicant | null;
  onChange: (a: PickedApplicant | null) => void;
  disabled?: boolean;
}) {
  const [found, setFound] = useState<ApplicantView[]>([]);
  const [searching, setSearching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (q: string) => {
    clearTimeout(timer.current);
    const query = q.trim();
    const mine = ++seq.current;
    if (query === '') {
      setFound([]);
      setSearching(false);
      return;
    }
    setSearching(true);
    timer.current = setTimeout(() => {
      filingApi.findApplicants({ query, limit: 20 }).then(
        (rows) => {
          if (seq.current !== mine) return;
          setFound(rows);
          setSearching(false);
        },
        () => {
          if (seq.current === mine) setSearching(false);
        },
      );
    }, 250);
  };

  const options = found.map((a) => ({ value: a.id, label: `${a.name}（${a.category_label}，${a.id_number_masked}）` }));
  if (value && !found.some((a) => a.id === value.id)) options.unshift({ value: value.id, label: value.name });

  return (
    <div className="filing-applicant">
      <span className="filing-applicant-label">{ft('header.applicant')}</span>
      <Select<string>
        showSearch
        allowClear
        value={value?.id}
        placeholder={ft('header.applicantPlaceholder')}
        filterOption={false}
        onSearch={search}
        notFoundContent={searching ? <Spin size="small" /> : null}
        options={options}
        disabled={disabled}
        onChange={(id) => {
          if (!id) {
            onChange(null);
            return;
          }
          const a = found.find((x) => x.id === id);
          onChange(a ? { id: a.id, name: a.name, profile: a } : value);
        }}
        className="filing-applicant-select"
        data-testid="filing-applicant"
        aria-label={ft('header.applicant')}
      />
    </div>
  );
}

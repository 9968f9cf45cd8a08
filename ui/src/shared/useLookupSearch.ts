import { useEffect, useRef, useState } from 'react';

/**
 * A list's search box that a case found in the top bar can fill: `typed` is
 * what the box shows, `search` what the list was asked for. When `lookup`
 * changes, both take it and `onLookup` runs (e.g. back to page 1).
 */
export function useLookupSearch(lookup: string | undefined, onLookup?: () => void) {
  const [typed, setTyped] = useState(lookup ?? '');
  const [search, setSearch] = useState(lookup ?? '');
  const then = useRef(onLookup);
  then.current = onLookup;
  useEffect(() => {
    if (lookup === undefined) return;
    setTyped(lookup);
    setSearch(lookup);
    then.current?.();
  }, [lookup]);
  return { typed, setTyped, search, setSearch };
}

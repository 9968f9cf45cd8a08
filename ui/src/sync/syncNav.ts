// Opening the sync page from anywhere (the header's state, a case's banner):
// the frame listens and shows it.
type Listener = () => void;
const listeners = new Set<Listener>();

/** The frame registers here to open the sync page. */
export function onOpenSync(l: Listener): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

/** Opens the sync page (需处理 included). */
export function openSync() {
  listeners.forEach((l) => l());
}

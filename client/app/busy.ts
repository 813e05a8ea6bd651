/**
 * A button whose request is running says so: disabled, `aria-busy` (a spinner in CSS, room.css),
 * and its label saying what happens ("Importing…"), until the work ends either way.
 */
export async function whileBusy<T>(buttons: HTMLButtonElement | HTMLButtonElement[], label: string, work: () => Promise<T>): Promise<T> {
  const list = Array.isArray(buttons) ? buttons : [buttons];
  const before = list.map((b) => ({ text: b.textContent, disabled: b.disabled }));
  for (const button of list) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = label;
  }
  try {
    return await work();
  } finally {
    list.forEach((button, i) => {
      button.disabled = before[i]!.disabled;
      button.removeAttribute('aria-busy');
      button.textContent = before[i]!.text;
    });
  }
}

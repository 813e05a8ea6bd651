/**
 * A form that opens under its button (New document, Import a text, Compile proposals): the button
 * says whether it is open (aria-expanded), Cancel and Escape close it and give focus back to the
 * button, and a refusal is written in the form's alert line with focus on the field to correct.
 */
export interface DisclosureForm {
  open(show: boolean): void;
  /** Shows why the form was not sent and puts focus on `field` (the first field by default). */
  fail(message: string, field?: HTMLElement): void;
  /** Hides the last refusal before sending again. */
  clear(): void;
}

export interface DisclosureParts {
  toggle: HTMLButtonElement;
  form: HTMLFormElement;
  cancel: HTMLButtonElement;
  error: HTMLElement;
  /** Where focus goes on opening and on a refusal that names no field. */
  first: HTMLElement;
  /** Fills the form's choices afresh on each opening (the documents may have changed). */
  onOpen?(): void;
}

export function disclosureForm({ toggle, form, cancel, error, first, onOpen }: DisclosureParts): DisclosureForm {
  const open = (show: boolean) => {
    form.hidden = !show;
    toggle.setAttribute('aria-expanded', String(show));
    if (show) {
      onOpen?.();
      first.focus();
    } else {
      error.hidden = true;
      toggle.focus();
    }
  };
  toggle.addEventListener('click', () => open(form.hidden === true));
  cancel.addEventListener('click', () => open(false));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') open(false);
  });
  return {
    open,
    fail(message, field = first) {
      error.textContent = message;
      error.hidden = false;
      field.focus();
    },
    clear: () => (error.hidden = true),
  };
}

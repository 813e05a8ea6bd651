import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { sentence } from '../app/format.ts';
import type { PageContext } from '../app/router.ts';
import { navigate, safeReturnPath } from '../app/router.ts';
import { setSession } from '../app/session.ts';

/**
 * The login page. Errors are the server's own words ("wrong username or password", rate limiting),
 * announced to screen readers; after logging in the user returns to the page they wanted.
 */
export function loginPage({ me, query, outlet }: PageContext): void {
  const next = safeReturnPath(query.get('next'));
  if (me) {
    navigate(next, { replace: true });
    return;
  }
  document.title = 'Log in — Concord';

  const username = h('input', { id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-wide' }, 'Log in');

  const form = h(
    'form',
    { class: 'login-form', novalidate: true, 'aria-describedby': 'login-error' },
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'Username'), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), password),
    error,
    submit,
  );

  const showError = (message: string, field?: HTMLInputElement) => {
    error.textContent = message;
    error.hidden = false;
    for (const input of [username, password]) input.setAttribute('aria-invalid', String(input === field || !field));
    (field ?? password).focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!username.value.trim()) return showError('Enter your username.', username);
    if (!password.value) return showError('Enter your password.', password);
    submit.disabled = true;
    submit.textContent = 'Logging in…';
    try {
      setSession(await api.login(username.value.trim(), password.value));
      navigate(next, { replace: true });
    } catch (failure) {
      submit.disabled = false;
      submit.textContent = 'Log in';
      password.value = '';
      showError(failure instanceof ApiError ? sentence(failure.message) : 'Logging in failed. Try again.');
    }
  });

  outlet.append(
    h(
      'div',
      { class: 'login-layout' },
      h(
        'section',
        { class: 'login-card', 'aria-labelledby': 'login-title' },
        h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark brand-mark-large', 'aria-hidden': 'true' }), h('span', {}, 'Concord')),
        h('h1', { id: 'login-title' }, 'Log in to your working group'),
        h('p', { class: 'login-intro' }, 'Draft resolutions together with the other delegations, live.'),
        form,
      ),
      h('p', { class: 'login-footnote' }, 'Your account is issued by the secretariat of your working group. If you cannot log in, contact the secretariat.'),
    ),
  );
  username.focus();
}
